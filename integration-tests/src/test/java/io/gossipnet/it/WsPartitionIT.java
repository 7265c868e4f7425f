package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitPeers;
import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.awaitility.Awaitility.await;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node cut off from every other node (GossipnetCluster.isolate) misses what is broadcast meanwhile, and after it is
 * attached again it receives the broadcasts sent after it came back, and its own reach the others.
 */
@RequiresDocker
@Timeout(300)
class WsPartitionIT {
  private static final Logger LOG = LoggerFactory.getLogger(WsPartitionIT.class);
  private static final String GENESIS = "gossipnet-it-partition-v1";

  @Test
  void aNodeDisconnectedFromTheNetworkAndReconnectedReceivesLaterBroadcasts() {
    try (GossipnetCluster cluster = GossipnetCluster.builder(NodeTransport.WS, GENESIS).nodes(4).start()) {
      cluster.awaitPeers(3, Duration.ofSeconds(60));
      GossipnetContainer origin = cluster.node(0);
      GossipnetContainer cut = cluster.node(3);
      List<GossipnetContainer> rest = cluster.except(cut);

      String before = origin.http().broadcast(message("before the partition"));
      awaitReceived(Set.of(before), Duration.ofSeconds(60), cluster.except(origin));

      LOG.info("step: {} is cut off the gossip network", cut.alias());
      cluster.isolate(3);
      String during = origin.http().broadcast(message("during the partition"));
      awaitReceived(Set.of(during), Duration.ofSeconds(60), cluster.except(origin, cut));
      await(cut.alias() + " stays without the message sent while it was cut off")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> !cut.http().received().contains(during));

      LOG.info("step: {} is attached again", cut.alias());
      cluster.heal();
      awaitPeers(cut, 1, Duration.ofSeconds(90));
      LOG.info("step: {} has a peer again; broadcasting", cut.alias());
      String after0 = origin.http().broadcast(message("after the partition, from node0"));
      String after1 = cluster.node(1).http().broadcast(message("after the partition, from node1"));
      awaitReceived(Set.of(after0, after1), Duration.ofSeconds(90), List.of(cut));

      LOG.info("step: {} received the later broadcasts; now it broadcasts", cut.alias());
      String fromCut = cut.http().broadcast(message("from the healed node"));
      awaitReceived(Set.of(fromCut), Duration.ofSeconds(90), rest);
    }
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
