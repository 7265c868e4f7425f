package io.gossipnet.it;

import static org.awaitility.Awaitility.await;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.RequiresDocker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The cluster controls of gossipnet-testcontainers as a user's test holds them: a cluster in a
 * {@code @Container} field of Testcontainers' JUnit 5 extension, split into two groups that keep
 * gossiping among themselves, then healed into one mesh again.
 */
@RequiresDocker
@Testcontainers
@Timeout(300)
class ClusterPartitionIT {
  private static final String GENESIS = "gossipnet-it-groups-v1";

  @Container
  static final GossipnetCluster CLUSTER =
      GossipnetCluster.builder(NodeTransport.WS, GENESIS).nodes(4).meshInterval(Duration.ofSeconds(1)).build();

  @Test
  void twoGroupsCutApartGossipWithinThemselvesOnlyAndOneMeshAgainOnceHealed() {
    CLUSTER.awaitMesh();
    GossipnetContainer a0 = CLUSTER.node(0);
    GossipnetContainer a1 = CLUSTER.node(1);
    GossipnetContainer b2 = CLUSTER.node(2);
    GossipnetContainer b3 = CLUSTER.node(3);

    CLUSTER.partition(List.of(0, 1), List.of(2, 3));
    String fromA = a0.http().broadcast("from group a during the split");
    String fromB = b2.http().broadcast("from group b during the split");
    GossipnetCluster.awaitReceived(java.util.Set.of(fromA), Duration.ofSeconds(30), List.of(a1));
    GossipnetCluster.awaitReceived(java.util.Set.of(fromB), Duration.ofSeconds(30), List.of(b3));
    await("nothing crosses the split")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> !b2.http().received().contains(fromA) && !b3.http().received().contains(fromA)
            && !a0.http().received().contains(fromB) && !a1.http().received().contains(fromB));

    CLUSTER.heal();
    // The connections across the cut are dead or dying: the mesh replaces them.
    CLUSTER.awaitMesh(Duration.ofSeconds(90));
    String after = b3.http().broadcast("after the heal");
    CLUSTER.awaitPropagation(after);
    CLUSTER.awaitEvery("every node serves its genesis in /status", Duration.ofSeconds(10),
        node -> node.http().status().path("genesis").asString().equals(GENESIS));
  }
}
