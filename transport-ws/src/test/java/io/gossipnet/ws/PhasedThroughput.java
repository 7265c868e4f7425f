package io.gossipnet.ws;

import static org.awaitility.Awaitility.await;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The throughput of a relay's healthy peers in phases of a test (a baseline, then the same load
 * beside a fault), measured the same way in each: the relay broadcasts a phase's messages at a fixed
 * rate, each message carrying its phase, and each peer counts what it received of each phase.
 */
final class PhasedThroughput {
  private final Tag tag;
  private final int rate;
  private final int size;
  private final List<PhaseCounter> peers = new ArrayList<>();

  PhasedThroughput(Tag tag, int rate, int size) {
    this.tag = tag;
    this.rate = rate;
    this.size = size;
  }

  /** Counts what {@code peer} receives, per phase (at most 8 phases). */
  void watch(WsNetwork peer) {
    peers.add(new PhaseCounter(peer, tag));
  }

  /**
   * Broadcasts phase {@code phase} from {@code relay} for {@code seconds}, then returns the lowest
   * rate among the peers: the phase's messages a peer received over the longer of the phase and the
   * time from its first to its last arrival (once arrivals stop). A broadcast refused as queue full
   * counts against the phase.
   */
  double run(WsNetwork relay, int phase, int seconds) {
    long total = (long) rate * seconds;
    byte[] payload = new byte[size];
    long start = System.nanoTime();
    for (long n = 0; n < total; n++) {
      long wait = start + n * 1_000_000_000L / rate - System.nanoTime();
      if (wait > 200_000) {
        LockSupport.parkNanos(wait);
      }
      ByteBuffer.wrap(payload).putInt(phase).putLong(n);
      try {
        relay.broadcast(tag, payload.clone(), false, null);
      } catch (GossipException.QueueFull e) {
        // the phase's peers receive less
      }
    }
    long phaseNanos = System.nanoTime() - start;
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> peers.stream().allMatch(p -> p.quietSince(phase, 500_000_000L)));
    double min = Double.MAX_VALUE;
    for (PhaseCounter p : peers) {
      long span = Math.max(phaseNanos, p.last.get(phase) - p.first.get(phase));
      min = Math.min(min, p.count.get(phase) / (span / 1e9));
    }
    return min;
  }

  /** Per phase: how many messages a peer received, and when the first and the last arrived. */
  private static final class PhaseCounter {
    final AtomicLongArray count = new AtomicLongArray(8);
    final AtomicLongArray first = new AtomicLongArray(8);
    final AtomicLongArray last = new AtomicLongArray(8);

    PhaseCounter(WsNetwork peer, Tag tag) {
      peer.registerHandlers(List.of(new TaggedHandler(tag, msg -> {
        int phase = ByteBuffer.wrap(msg.data()).getInt();
        long now = System.nanoTime();
        first.compareAndSet(phase, 0, now);
        last.set(phase, now);
        count.incrementAndGet(phase);
        return OutgoingMessage.ignore();
      })));
    }

    boolean quietSince(int phase, long nanos) {
      return count.get(phase) > 0 && System.nanoTime() - last.get(phase) > nanos;
    }
  }
}
