package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitExactPeers;
import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Five P2P nodes ({@code gossipnet run --transport p2p}) in a ring: {@code node<i>} dials {@code
 * node<i+1 mod 5>} by its DNS alias and the peer ID of the key the harness made for it, {@code
 * /dns4/node<j>/tcp/PORT/p2p/<peer ID>} (the libp2p dialer resolves the name). Every node ends with
 * its two neighbours, one dialed and one dialing; a TX (GossipSub) and an AV (the gossip streams)
 * broadcast from one node reach the two nodes it has no connection to only because its neighbours
 * relay them. The test reads {@code /status} and the demo API over libp2p HTTP from its own libp2p
 * host.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class P2pMeshIT {
  private static final Logger LOG = LoggerFactory.getLogger(P2pMeshIT.class);
  private static final int NODES = 5;
  private static final String GENESIS = "gossipnet-it-p2p-mesh-v1";

  private GossipnetCluster cluster;

  @BeforeAll
  void startCluster() {
    cluster =
        GossipnetCluster.builder(NodeTransport.P2P, GENESIS)
            .nodes(NODES)
            .peers((i, n) -> List.of((i + 1) % n))
            .peersByDnsName()
            .meshInterval(Duration.ofSeconds(1))
            .start();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void everyNodeConnectsToBothOfItsRingNeighboursAndAnswersStatusOverLibp2p() {
    for (GossipnetContainer node : cluster.nodes()) {
      awaitExactPeers(node, 2, 1, Duration.ofSeconds(60));
    }
    for (GossipnetContainer node : cluster.nodes()) {
      assertThat(node.listeningPeerIds()).as(node.alias() + " prints the peer ID of the key it was given").containsExactly(node.peerId());
      JsonNode status = node.http().status();
      assertThat(status.get("genesis").asString()).as(node.alias() + " genesis").isEqualTo(GENESIS);
      assertThat(status.get("network").asString()).as(node.alias() + " network").isEqualTo("p2p");
      assertThat(status.get("address").asString()).as(node.alias() + " address").endsWith("/tcp/" + GossipnetContainer.PORT + "/p2p/" + node.peerId());
      assertThat(status.get("peersOut").asInt()).as(node.alias() + " dialed its successor").isEqualTo(1);
      assertThat(status.get("peersIn").asInt()).as(node.alias() + " was dialed by its predecessor").isEqualTo(1);
    }
  }

  @Test
  @Order(2)
  void aTxAndAnAvBroadcastFromOneNodeReachEveryNodeAroundTheRing() {
    for (GossipnetContainer node : cluster.nodes()) {
      awaitExactPeers(node, 2, 1, Duration.ofSeconds(60));
    }
    GossipnetContainer origin = cluster.node(0);
    for (String tag : List.of("TX", "AV")) {
      long start = System.nanoTime();
      String id = origin.http().broadcast(message(tag + " around the ring"), tag);
      awaitReceived(Set.of(id), Duration.ofSeconds(60), cluster.except(origin));
      LOG.info("measured: a {} from {} reached the other {} nodes (two hops at most) within {} ms",
          tag, origin.alias(), NODES - 1, (System.nanoTime() - start) / 1_000_000);
    }

    // The other way too: from the node opposite, both tags.
    GossipnetContainer opposite = cluster.node(2);
    String txBack = opposite.http().broadcast(message("TX from node2"), "TX");
    String avBack = opposite.http().broadcast(message("AV from node2"), "AV");
    awaitReceived(Set.of(txBack, avBack), Duration.ofSeconds(60), cluster.except(opposite));
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
