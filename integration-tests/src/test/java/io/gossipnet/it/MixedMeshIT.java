package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitExactPeers;
import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.MetricSample;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.NodeHttp;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.RequiresDocker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hybrid relay between a P2P-only node and a WS-only node, which share no transport: {@code
 * node0} runs {@code gossipnet run --transport hybrid} (WS on {@link GossipnetContainer#PORT}, libp2p on
 * {@link GossipnetContainer#HYBRID_P2P_PORT}) and dials nobody; {@code node1} runs {@code --transport p2p}
 * and dials the relay at {@code /dns4/node0/tcp/HYBRID_P2P_PORT/p2p/<its peer ID>}; {@code node2}
 * runs {@code --transport ws} and dials the relay at {@code node0:PORT}.
 *
 * <p>An AV (the gossip streams on the P2P side) and a TX (GossipSub on the P2P side) broadcast by
 * either end reach the other end only through the relay: the relay's demo handler re-broadcasts
 * what it receives on both of its networks, and a TX accepted on GossipSub is also bridged to its
 * WS peers. The relay serves one HTTP router on both sides, so its {@code /status} answers over
 * plain HTTP and over libp2p HTTP alike, with {@code network} {@code hybrid}.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class MixedMeshIT {
  private static final Logger LOG = LoggerFactory.getLogger(MixedMeshIT.class);
  private static final String GENESIS = "gossipnet-it-mixed-mesh-v1";
  private static final int RELAY = 0;
  private static final int P2P_ONLY = 1;
  private static final int WS_ONLY = 2;

  private GossipnetCluster cluster;
  private GossipnetContainer relay;
  private GossipnetContainer p2pOnly;
  private GossipnetContainer wsOnly;

  @BeforeAll
  void startCluster() {
    cluster =
        GossipnetCluster.builder(NodeTransport.HYBRID, GENESIS)
            .nodes(3)
            .transport(P2P_ONLY, NodeTransport.P2P)
            .transport(WS_ONLY, NodeTransport.WS)
            .peers((i, n) -> i == RELAY ? List.of() : List.of(RELAY))
            .peersByDnsName()
            .meshInterval(Duration.ofSeconds(1))
            .start();
    relay = cluster.node(RELAY);
    p2pOnly = cluster.node(P2P_ONLY);
    wsOnly = cluster.node(WS_ONLY);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The relay, the listening side of both connections, has registered both before anything is asserted. */
  @BeforeEach
  void awaitTheRelaysTwoIncomingPeers() {
    awaitExactPeers(relay, 2, 2, Duration.ofSeconds(60));
    awaitExactPeers(p2pOnly, 1, 0, Duration.ofSeconds(30));
    awaitExactPeers(wsOnly, 1, 0, Duration.ofSeconds(30));
  }

  @Test
  @Order(1)
  void theRelayListensOnBothTransportsAndAnswersStatusOverEachWithNetworkHybrid() {
    JsonNode listening = relay.listeningLine();
    assertThat(listening.path("network").asString()).as("the relay's listening line: network").isEqualTo("hybrid");
    assertThat(listening.path("address").asString()).as("its WS address").isEqualTo("http://" + relay.alias() + ":" + GossipnetContainer.PORT);
    assertThat(listening.path("peerId").asString()).as("the peer ID of the key it was given").isEqualTo(relay.peerId());
    assertThat(listening.path("addrs").path(0).asString())
        .as("its P2P listen address")
        .endsWith("/tcp/" + GossipnetContainer.HYBRID_P2P_PORT + "/p2p/" + relay.peerId());

    for (NodeHttp view : List.of(relay.wsHttp(), relay.p2pHttp())) {
      JsonNode status = view.status();
      String over = view.getClass().getSimpleName();
      assertThat(status.path("network").asString()).as("/status network over " + over).isEqualTo("hybrid");
      assertThat(status.path("genesis").asString()).as("/status genesis over " + over).isEqualTo(GENESIS);
      assertThat(status.path("address").asString()).as("/status address over " + over).isEqualTo("http://" + relay.alias() + ":" + GossipnetContainer.PORT);
      assertThat(status.path("peers").asInt()).as("/status peers over " + over + ": one per network").isEqualTo(2);
      assertThat(status.path("peersIn").asInt()).as("/status peersIn over " + over).isEqualTo(2);
    }
    assertThat(p2pOnly.http().status().path("network").asString()).as("the P2P-only node's network").isEqualTo("p2p");
  }

  @Test
  @Order(2)
  void anAvAndATxFromTheP2pOnlyNodeReachTheWsOnlyNodeThroughTheRelay() {
    crossesTheRelay(p2pOnly, wsOnly);
  }

  @Test
  @Order(3)
  void anAvAndATxFromTheWsOnlyNodeReachTheP2pOnlyNodeThroughTheRelay() {
    crossesTheRelay(wsOnly, p2pOnly);
  }

  /**
   * {@code /metrics} and {@code /v1/peers} of the relay answer the same over both of its
   * transports: its meters carry {@code network="ws"} and {@code network="p2p"}, and its two peers
   * are listed once each, one per network, both incoming. Each end lists the relay as its one
   * outgoing peer.
   */
  @Test
  @Order(4)
  void metricsAndPeersAnswerOnBothTransportsOfTheRelay() {
    // Traffic on both networks first, so the relay's counters have moved on each.
    crossesTheRelay(p2pOnly, wsOnly);
    for (NodeHttp view : List.of(relay.wsHttp(), relay.p2pHttp())) {
      String over = view.getClass().getSimpleName();
      List<MetricSample> samples = view.metrics();
      Set<String> networks =
          samples.stream().filter(s -> s.name().startsWith("gossipnet_")).map(s -> s.label("network")).collect(Collectors.toSet());
      assertThat(networks).as("the networks of the relay's gossipnet meters over " + over).contains("ws", "p2p");
      for (String network : List.of("ws", "p2p")) {
        assertThat(samples)
            .as("messages received over " + network + ", read over " + over)
            .anySatisfy(s -> {
              assertThat(s.name()).isEqualTo("gossipnet_messages_received_total");
              assertThat(s.labels()).containsEntry("network", network);
              assertThat(s.value()).isPositive();
            });
      }

      List<JsonNode> peers = view.peerList();
      LOG.info("{} /v1/peers over {}: {}", relay.alias(), over, peers);
      assertThat(peers).as("the relay's peers over " + over).hasSize(2);
      for (JsonNode peer : peers) {
        for (String field : List.of("id", "address", "network", "direction")) {
          assertThat(peer.path(field).isString()).as(field + " of " + peer).isTrue();
        }
        assertThat(peer.path("direction").asString()).as("direction of " + peer).isEqualTo("in");
        for (String count : List.of("messagesIn", "bytesIn", "messagesOut", "bytesOut")) {
          assertThat(peer.path(count).isNumber()).as(count + " of " + peer).isTrue();
        }
        assertThat(peer.path("queue").path("high").isNumber() && peer.path("queue").path("bulk").isNumber())
            .as("queue depths of " + peer).isTrue();
      }
      Map<String, JsonNode> byNetwork = peers.stream().collect(Collectors.toMap(p -> p.path("network").asString(), p -> p));
      assertThat(byNetwork).as("one peer per network").containsOnlyKeys("ws", "p2p");
      assertThat(byNetwork.get("p2p").path("id").asString()).as("the P2P peer is the P2P-only node").isEqualTo(p2pOnly.peerId());
    }
    assertThat(p2pOnly.http().peerList())
        .as("the P2P-only node's one peer")
        .singleElement()
        .satisfies(p -> {
          assertThat(p.path("network").asString()).isEqualTo("p2p");
          assertThat(p.path("direction").asString()).isEqualTo("out");
          assertThat(p.path("id").asString()).isEqualTo(relay.peerId());
        });
    assertThat(wsOnly.http().peerList())
        .as("the WS-only node's one peer")
        .singleElement()
        .satisfies(p -> {
          assertThat(p.path("network").asString()).isEqualTo("ws");
          assertThat(p.path("direction").asString()).isEqualTo("out");
        });
  }

  /** An AV and a TX broadcast by {@code from} reach the relay and {@code to}, which has no connection to {@code from}. */
  private void crossesTheRelay(GossipnetContainer from, GossipnetContainer to) {
    for (String tag : List.of("AV", "TX")) {
      long start = System.nanoTime();
      String id = from.http().broadcast(message(tag + " from " + from.transport() + "-only " + from.alias()), tag);
      awaitReceived(Set.of(id), Duration.ofSeconds(30), List.of(relay, to));
      LOG.info("measured: the {} from the {}-only {} reached the {}-only {} through the hybrid relay within {} ms",
          tag, from.transport(), from.alias(), to.transport(), to.alias(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
