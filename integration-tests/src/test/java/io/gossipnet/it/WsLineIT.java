package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitPeers;
import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.RequiresDocker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four WS nodes in a line ({@code node1} dials {@code node0}, {@code node2} dials {@code node1},
 * {@code node3} dials {@code node2}): a broadcast from one end reaches the other only because the
 * nodes in between relay it.
 */
@RequiresDocker
@Timeout(300)
class WsLineIT {
  private static final String GENESIS = "gossipnet-it-line-v1";

  @Test
  void broadcastsCrossALineOfNodesByRelay() {
    try (GossipnetCluster cluster = GossipnetCluster.builder(NodeTransport.WS, GENESIS).nodes(4).peers((i, n) -> i == 0 ? List.of() : List.of(i - 1)).start()) {
      GossipnetContainer first = cluster.node(0);
      GossipnetContainer last = cluster.node(3);
      awaitPeers(cluster.node(1), 2, Duration.ofSeconds(60));
      awaitPeers(cluster.node(2), 2, Duration.ofSeconds(60));
      // The ends know only their one neighbour: nothing goes around the line.
      assertThat(first.http().peers()).as("node0 peers").isEqualTo(1);
      assertThat(last.http().peers()).as("node3 peers").isEqualTo(1);

      String fromFirst = first.http().broadcast(message("from node0"));
      awaitReceived(Set.of(fromFirst), Duration.ofSeconds(60), cluster.except(first));
      String fromLast = last.http().broadcast(message("from node3"));
      awaitReceived(Set.of(fromLast), Duration.ofSeconds(60), cluster.except(last));
    }
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
