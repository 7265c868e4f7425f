package io.gossipnet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.metrics.NetworkMetrics;
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
 * Sustained load on any transport, from a {@link NodeFactory}: a relay broadcasts {@value #RATE}
 * messages a second of {@value #SIZE} bytes to {@value #PEERS} clients (ten nodes) over real
 * sockets for {@code gossipnet.load.seconds} (default 30), one in ten high-priority ({@link
 * Tags#AV}), the rest bulk ({@link Tags#VB}), both carried by the gossip connections of every
 * transport (on P2P, only {@code TX} takes GossipSub). Every high-priority message reaches every
 * client; every bulk message that did not is counted by the relay's engines (refused at the
 * broadcast queue, dropped there as stale, or dropped for one peer whose queue was full); the heap
 * returns to where it started.
 *
 * <pre>{@code
 * class P2PLoadTest extends GossipNodeLoadContract {
 *   protected NodeFactory factory() {
 *     return new P2PNodeFactory();
 *   }
 * }
 * }</pre>
 */
public abstract class GossipNodeLoadContract {
  /** Messages a second the relay broadcasts. */
  protected static final int RATE = 10_000;
  /** Bytes per message. */
  protected static final int SIZE = 200;
  /** Clients of the relay. */
  protected static final int PEERS = 9;
  private static final Tag HIGH = Tags.AV;
  private static final Tag BULK = Tags.VB;

  private final List<GossipNode> nodes = new ArrayList<>();
  private NodeFactory factory;

  /** The transport under test. */
  protected abstract NodeFactory factory();

  @AfterEach
  void stopNodes() {
    List<Thread> stoppers = new ArrayList<>();
    for (GossipNode n : nodes) {
      stoppers.add(Thread.ofVirtual().start(n::stop));
    }
    for (Thread t : stoppers) {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (factory != null) {
      factory.close();
    }
  }

  @Test
  protected void tenThousandMessagesASecondToNinePeersLoseNoHighPriorityMessageAndCountEveryBulkDrop() {
    int seconds = Integer.getInteger("gossipnet.load.seconds", 30);
    factory = factory();
    GossipNode relay = start(NodeOptions.relay("relay").withMaxConnectionsPerIp(PEERS));
    List<Receiver> receivers = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      GossipNode client = start(NodeOptions.client("client-" + i, factory.dialAddresses(relay)));
      receivers.add(new Receiver(client));
    }
    await("the relay's " + PEERS + " clients").atMost(Duration.ofSeconds(60))
        .until(() -> relay.getPeers(PeerOption.CONNECTED_IN).size() == PEERS);
    factory.awaitSettled(relay);
    List<NetworkEngine> engines = factory.engines(relay);
    long heapBefore = heapAfterGc();

    long total = (long) RATE * seconds;
    long highSent = 0;
    long refused = 0;
    long maxHeap = 0;
    long start = System.nanoTime();
    long nextSample = start;
    byte[] payload = new byte[SIZE];
    for (long n = 0; n < total; n++) {
      long wait = start + n * 1_000_000_000L / RATE - System.nanoTime();
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
      } catch (GossipException.QueueFull e) {
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
    await("every high-priority message at every client").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> receivers.stream().allMatch(r -> r.high.get() == sentHigh));
    for (Receiver r : receivers) {
      synchronized (r.highSeen) {
        assertThat(r.highSeen.cardinality()).as("distinct high-priority messages at a client").isEqualTo((int) sentHigh);
      }
    }

    long bulkSent = total - sentHigh;
    long refusedBulk = refused;
    await("bulk deliveries plus counted drops").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      long arrived = receivers.stream().mapToLong(r -> r.bulk.get()).sum();
      long counted = countedDrops(engines);
      assertThat(arrived + counted)
          .as("bulk deliveries %d + counted drops %d", arrived, counted)
          .isEqualTo(bulkSent * PEERS);
      assertThat(sum(engines, NetworkMetricsCounter.QUEUE_FULL)).as("refused broadcasts, counted").isGreaterThanOrEqualTo((double) refusedBulk);
    });
    long delivered = receivers.stream().mapToLong(r -> r.bulk.get()).sum();
    long heapAfter = heapAfterGc();
    System.out.printf(
        "%s: %d s, %d messages (%.0f/s achieved) to %d clients; high-priority %d sent, all delivered to each; bulk %d of %d"
            + " deliveries made, %d refused at broadcast, %.0f stale, %.0f per-peer drops; heap %d MiB before, max %d MiB"
            + " sampled, %d MiB after%n",
        getClass().getSimpleName(), seconds, total, total / elapsed, PEERS, sentHigh, delivered, bulkSent * PEERS, refused,
        sum(engines, NetworkMetricsCounter.STALE), sum(engines, NetworkMetricsCounter.PER_PEER),
        heapBefore >> 20, maxHeap >> 20, heapAfter >> 20);
    assertThat(elapsed).as("the relay kept the rate").isLessThan(seconds * 1.5);
    assertThat(heapAfter - heapBefore).as("heap growth after the run").isLessThan(64L << 20);
  }

  private GossipNode start(NodeOptions options) {
    GossipNode n = factory.create(options);
    nodes.add(n);
    n.start();
    return n;
  }

  /** The relay's drop counters this contract adds up. */
  private enum NetworkMetricsCounter {
    QUEUE_FULL, STALE, PER_PEER;

    double of(NetworkMetrics m) {
      return switch (this) {
        case QUEUE_FULL -> m.broadcastQueueFull.count();
        case STALE -> m.broadcastsDropped.count();
        case PER_PEER -> m.peerBroadcastDropped.count();
      };
    }
  }

  /**
   * Deliveries the engines counted as not made: a broadcast refused or dropped as stale at an
   * engine's queue misses each of that engine's peers, a per-peer drop one peer.
   */
  private static long countedDrops(List<NetworkEngine> engines) {
    long counted = 0;
    for (NetworkEngine e : engines) {
      NetworkMetrics m = e.metrics();
      int peers = e.getPeers(PeerOption.CONNECTED_IN).size();
      counted += (long) ((m.broadcastQueueFull.count() + m.broadcastsDropped.count()) * peers + m.peerBroadcastDropped.count());
    }
    return counted;
  }

  private static double sum(List<NetworkEngine> engines, NetworkMetricsCounter counter) {
    return engines.stream().mapToDouble(e -> counter.of(e.metrics())).sum();
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Counts what one client receives, and which high-priority sequence numbers it saw. */
  private static final class Receiver {
    final AtomicLong high = new AtomicLong();
    final AtomicLong bulk = new AtomicLong();
    final BitSet highSeen = new BitSet();

    Receiver(GossipNode node) {
      node.registerHandlers(List.of(
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
