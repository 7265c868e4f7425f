package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sustained load over real sockets: a relay broadcasting 10,000 messages a second (one in ten
 * high-priority, the rest bulk, 200 bytes each) to 9 peers for {@code gossipnet.load.seconds}
 * (30 here; the long run in RELIABILITY.md uses 300). Every high-priority message reaches every
 * peer; bulk messages the queues dropped are all counted by the engine's meters (delivered plus
 * counted drops equal what was sent); the heap stays bounded and returns to where it started.
 */
class WsLoadTest {
  private static final Tag HIGH = Tag.of("LH", 1024, true, false);
  private static final Tag BULK = Tag.of("LB", 1024, false, false);
  private static final int PEERS = 9;
  private static final int RATE = 10_000;
  private static final int SIZE = 200;

  private final WsTestNodes nodes = new WsTestNodes();

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  @Test
  void tenThousandMessagesASecondLoseNoHighPriorityMessageAndCountEveryBulkDrop() {
    int seconds = Integer.getInteger("gossipnet.load.seconds", 30);
    Tags tags = Tags.defaultsPlus(HIGH, BULK);
    WsNetwork relay = nodes.start(WsTestNodes.listening().tags(tags).maxConnectionsPerIp(PEERS).build());
    List<Receiver> receivers = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      WsNetwork peer = nodes.start(NetworkConfig.builder(WsTestNodes.GENESIS)
          .relayPeers(List.of("127.0.0.1:" + relay.localPort())).gossipFanout(1).tags(tags).build());
      receivers.add(new Receiver(peer));
    }
    WsTestNodes.awaitPeers(relay, PEERS);
    long heapBefore = heapAfterGc();

    long total = (long) RATE * seconds;
    long highSent = 0;
    long refused = 0;
    long maxHeap = 0;
    long start = System.nanoTime();
    long nextSample = start;
    byte[] payload = new byte[SIZE];
    for (long n = 0; n < total; n++) {
      // Pace: message n goes out at start + n / RATE seconds.
      long due = start + n * 1_000_000_000L / RATE;
      long wait = due - System.nanoTime();
      if (wait > 200_000) {
        LockSupport.parkNanos(wait);
      }
      boolean high = n % 10 == 0;
      ByteBuffer.wrap(payload).putLong(high ? highSent : n);
      try {
        relay.broadcast(high ? HIGH : BULK, payload.clone(), false, null);
        if (high) {
          highSent++;
        }
      } catch (RuntimeException e) {
        assertThat(high).as("a high-priority broadcast was refused: %s", e).isFalse();
        refused++;
      }
      if (System.nanoTime() >= nextSample) {
        maxHeap = Math.max(maxHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        nextSample += 1_000_000_000L;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long sentHigh = highSent;
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> receivers.stream().allMatch(r -> r.high.get() == sentHigh));
    for (Receiver r : receivers) {
      synchronized (r.highSeen) {
        assertThat(r.highSeen.cardinality()).as("distinct high-priority messages at a peer").isEqualTo((int) sentHigh);
      }
    }

    // Bulk: each broadcast the relay took goes to 9 peers; whatever did not arrive was counted as
    // dropped, per broadcast (its queue was full, or it waited too long) or per peer.
    long bulkSent = total - sentHigh;
    var m = relay.metrics();
    long refusedBulk = refused;
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      long arrived = receivers.stream().mapToLong(r -> r.bulk.get()).sum();
      long counted = (long) ((m.broadcastQueueFull.count() + m.broadcastsDropped.count()) * PEERS + m.peerBroadcastDropped.count());
      assertThat(arrived + counted)
          .as("bulk deliveries %d + counted drops %d (queue full %.0f, stale %.0f, per peer %.0f)",
              arrived, counted, m.broadcastQueueFull.count(), m.broadcastsDropped.count(), m.peerBroadcastDropped.count())
          .isEqualTo(bulkSent * PEERS);
      // A broadcast refused because the queue was full is both counted and reported to the caller.
      assertThat(m.broadcastQueueFull.count()).isEqualTo((double) refusedBulk);
    });
    long delivered = receivers.stream().mapToLong(r -> r.bulk.get()).sum();
    long heapAfter = heapAfterGc();
    System.out.printf(
        "WsLoadTest: %d s, %d messages (%.0f/s achieved), high-priority %d sent, %d delivered to each of %d peers; bulk %d sent, %d of %d deliveries made, %d refused at broadcast, %.0f queue-full, %.0f stale, %.0f per-peer drops; heap %d MiB before, max %d MiB sampled, %d MiB after%n",
        seconds, total, total / elapsed, sentHigh, sentHigh, PEERS, bulkSent, delivered, bulkSent * PEERS, refused,
        m.broadcastQueueFull.count(), m.broadcastsDropped.count(), m.peerBroadcastDropped.count(),
        heapBefore >> 20, maxHeap >> 20, heapAfter >> 20);
    assertThat(elapsed).as("the relay kept the rate").isLessThan(seconds * 1.5);
    assertThat(heapAfter - heapBefore).as("heap growth after the run").isLessThan(64L << 20);
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Counts what one peer receives, and which high-priority sequence numbers it saw. */
  private static final class Receiver {
    final AtomicLong high = new AtomicLong();
    final AtomicLong bulk = new AtomicLong();
    final BitSet highSeen = new BitSet();

    Receiver(WsNetwork peer) {
      peer.registerHandlers(List.of(
          new TaggedHandler(HIGH, msg -> {
            int seq = (int) ByteBuffer.wrap(msg.data()).getLong();
            synchronized (highSeen) {
              highSeen.set(seq);
            }
            high.incrementAndGet();
            return OutgoingMessage.ignore();
          }),
          new TaggedHandler(BULK, msg -> {
            bulk.incrementAndGet();
            return OutgoingMessage.ignore();
          })));
    }
  }
}
