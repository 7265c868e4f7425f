package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.RequiresDocker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two hybrid nodes ({@code gossipnet run --transport hybrid}, each with a key the harness made, so
 * both peer IDs are known before they start), each given the other's WS address {@code
 * alias:PORT} and libp2p address {@code /ip4/ADDRESS/tcp/HYBRID_P2P_PORT/p2p/<peer ID>} as {@code
 * --peer}, with {@code --fanout 2}: each node's hybrid mesh dials the other over WS and, the fanout
 * not being met by one connection, over libp2p too, and both nodes dial. The shared identity (the
 * WS identity challenge signs with the libp2p key, and both networks claim it in one tracker) makes
 * every second connection a duplicate: the two end with exactly one connection, the same one at both
 * ends, and keep it while their meshes go on dialing every second. Messages of both kinds flow
 * both ways over it.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class HybridPairIT {
  private static final Logger LOG = LoggerFactory.getLogger(HybridPairIT.class);
  private static final String GENESIS = "gossipnet-it-hybrid-pair-v1";
  /** How long the single connection must stay single: several mesh passes of each node. */
  private static final Duration STABLE = Duration.ofSeconds(4);

  private GossipnetCluster cluster;
  private GossipnetContainer a;
  private GossipnetContainer b;

  @BeforeAll
  void startCluster() {
    cluster =
        GossipnetCluster.builder(NodeTransport.HYBRID, GENESIS)
            .nodes(2)
            .fanout(2)
            .meshInterval(Duration.ofSeconds(1))
            .start();
    a = cluster.node(0);
    b = cluster.node(1);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void twoHybridNodesThatListEachOtherUnderBothTransportsHoldOneConnection() {
    assertThat(peersIn(b.runCommand()))
        .as("what node1 was given to dial node0")
        .containsExactly(a.alias() + ":" + GossipnetContainer.PORT,
            "/ip4/" + cluster.addressOf(0, 1) + "/tcp/" + GossipnetContainer.HYBRID_P2P_PORT + "/p2p/" + a.peerId());

    long start = System.nanoTime();
    for (GossipnetContainer node : List.of(a, b)) {
      GossipnetCluster.awaitPeers(node, 1, Duration.ofSeconds(60));
    }
    await("node0 and node1 hold exactly one connection, the same at both ends, for " + STABLE.toSeconds() + " s")
        .atMost(Duration.ofSeconds(60))
        .during(STABLE)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(this::oneConnectionTheSameAtBothEnds);
    LOG.info("measured: one connection between the hybrid pair, stable for {} s, {} ms after both listened",
        STABLE.toSeconds(), (System.nanoTime() - start) / 1_000_000);

    for (GossipnetContainer node : List.of(a, b)) {
      JsonNode overP2p = node.p2pHttp().status();
      assertThat(overP2p.path("network").asString()).as(node.alias() + " /status over libp2p HTTP").isEqualTo("hybrid");
      assertThat(overP2p.path("peers").asInt()).as(node.alias() + " peers over libp2p HTTP").isEqualTo(1);
    }
  }

  @Test
  @Order(2)
  void anAvAndATxFlowBothWaysOverTheOneConnection() {
    await("node0 and node1 hold one connection")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(this::oneConnectionTheSameAtBothEnds);
    String avFromA = a.http().broadcast(message("AV from node0"), "AV");
    String txFromA = a.http().broadcast(message("TX from node0"), "TX");
    String avFromB = b.http().broadcast(message("AV from node1"), "AV");
    String txFromB = b.http().broadcast(message("TX from node1"), "TX");
    awaitReceived(Set.of(avFromA, txFromA), Duration.ofSeconds(30), List.of(b));
    awaitReceived(Set.of(avFromB, txFromB), Duration.ofSeconds(30), List.of(a));
    oneConnectionTheSameAtBothEnds();
  }

  /** Each node has one peer, and the one node0 dialed is the one node1 took, and the other way. */
  private void oneConnectionTheSameAtBothEnds() {
    JsonNode sa = a.http().status();
    JsonNode sb = b.http().status();
    assertThat(sa.path("peers").asInt()).as("node0 peers: " + sa).isEqualTo(1);
    assertThat(sb.path("peers").asInt()).as("node1 peers: " + sb).isEqualTo(1);
    assertThat(sa.path("peersOut").asInt()).as("node0 dialed what node1 took: " + sa + " / " + sb).isEqualTo(sb.path("peersIn").asInt());
    assertThat(sa.path("peersIn").asInt()).as("node1 dialed what node0 took: " + sa + " / " + sb).isEqualTo(sb.path("peersOut").asInt());
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }

  /** The values of the {@code --peer} options of a {@code run} command line. */
  private static List<String> peersIn(List<String> command) {
    List<String> peers = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < command.size(); i++) {
      if (command.get(i).equals("--peer")) {
        peers.add(command.get(i + 1));
      }
    }
    return peers;
  }
}
