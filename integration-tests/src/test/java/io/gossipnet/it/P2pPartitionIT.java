package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitPeers;
import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.awaitility.Awaitility.await;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.NodeTransport;
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
 * A P2P node cut off the private Docker network misses the TX and AV broadcast meanwhile while the
 * others get them; attached again (same alias and address), it receives the broadcasts sent after
 * it came back, and its own reach the others. The time from the heal until a TX and an AV sent at
 * that moment have reached it is measured and logged.
 *
 * <p>The partition lasts 4 s, well inside the Yamux keep-alive (a ping unanswered for two 30 s
 * intervals closes a connection): the nodes' TCP connections survive it, and the kernel's
 * retransmissions carry what was queued once it heals. The heal time is TCP's retransmission
 * backoff: segments sent into the partition are retransmitted about 0.2, 0.6, 1.4, 3 and 6 s after
 * they were first sent, and data written after the heal waits behind them, so a heal at 4 s waits
 * for the retransmission at about 6 s (a heal at about 3.3 s measured 0.1 to 0.3 s). The partition's
 * length is therefore fixed from the cut.
 */
@RequiresDocker
@Timeout(300)
class P2pPartitionIT {
  private static final Logger LOG = LoggerFactory.getLogger(P2pPartitionIT.class);
  private static final String GENESIS = "gossipnet-it-p2p-partition-v1";
  private static final Duration PARTITION = Duration.ofSeconds(4);

  @Test
  void aNodeDisconnectedFromTheNetworkAndReconnectedReceivesLaterTxAndAvBroadcasts() {
    // Each pair connected once: node<i> dials every node<j> with j > i.
    try (GossipnetCluster cluster =
        GossipnetCluster.builder(NodeTransport.P2P, GENESIS)
            .nodes(4)
            .peers((i, n) -> java.util.stream.IntStream.range(i + 1, n).boxed().toList())
            .meshInterval(Duration.ofSeconds(1))
            .start()) {
      cluster.awaitPeers(3, Duration.ofSeconds(60));
      GossipnetContainer origin = cluster.node(0);
      GossipnetContainer cut = cluster.node(3);
      List<GossipnetContainer> rest = cluster.except(cut);

      String before = origin.http().broadcast(message("TX before the partition"), "TX");
      awaitReceived(Set.of(before), Duration.ofSeconds(60), cluster.except(origin));

      LOG.info("step: {} is cut off the gossip network", cut.alias());
      cluster.isolate(3);
      long cutAt = System.nanoTime();
      String txDuring = origin.http().broadcast(message("TX during the partition"), "TX");
      String avDuring = origin.http().broadcast(message("AV during the partition"), "AV");
      awaitReceived(Set.of(txDuring, avDuring), Duration.ofSeconds(60), cluster.except(origin, cut));
      // The partition lasts PARTITION from the cut (at least 1 s more from here), so that the heal
      // falls at the same point of TCP's retransmission backoff in every run.
      Duration remaining =
          Duration.ofNanos(Math.max(Duration.ofSeconds(1).toNanos(), PARTITION.toNanos() - (System.nanoTime() - cutAt)));
      await(cut.alias() + " stays without the TX and AV sent while it was cut off")
          .during(remaining)
          .atMost(remaining.plusSeconds(10))
          .until(() -> !cut.http().received().contains(txDuring) && !cut.http().received().contains(avDuring));

      LOG.info("step: {} is attached again after {} ms; broadcasting", cut.alias(), millis(System.nanoTime() - cutAt));
      cluster.heal();
      long healed = System.nanoTime();
      String txAfter = origin.http().broadcast(message("TX after the partition, from node0"), "TX");
      String avAfter = cluster.node(1).http().broadcast(message("AV after the partition, from node1"), "AV");
      awaitReceived(Set.of(txAfter, avAfter), Duration.ofSeconds(90), List.of(cut));
      long propagated = System.nanoTime();
      awaitPeers(cut, 3, Duration.ofSeconds(30));
      LOG.info(
          "measured: heal to full propagation {} ms (a TX from node0 and an AV from node1, sent at the heal, reached {});"
              + " {} also has the messages sent during the partition: TX {}, AV {}",
          millis(propagated - healed), cut.alias(), cut.alias(),
          cut.http().received().contains(txDuring), cut.http().received().contains(avDuring));

      LOG.info("step: {} received the later broadcasts; now it broadcasts", cut.alias());
      String txFromCut = cut.http().broadcast(message("TX from the healed node"), "TX");
      String avFromCut = cut.http().broadcast(message("AV from the healed node"), "AV");
      awaitReceived(Set.of(txFromCut, avFromCut), Duration.ofSeconds(60), rest);
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
