package io.gossipnet.core.engine;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Peer;
import io.gossipnet.core.Tag;
import io.gossipnet.core.metrics.NetworkMetrics;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code msgBroadcaster}: a high-priority queue and a bulk queue of broadcast requests,
 * drained by one thread, high priority first. Each request's frame (and its digest, for large
 * messages) is prepared once and the same {@link OutboundMessage} is queued to every peer, so the
 * per-peer cost is one reference in that peer's ring.
 */
final class Broadcaster {
  private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);
  private static final long NO_PEER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final NetworkConfig config;
  private final NetworkMetrics metrics;
  private final Supplier<WsPeer[]> peers;
  private final java.util.function.LongSupplier clock;
  private final PriorityQueuePair<Request> queue;
  private final long maxQueueNanos;
  private volatile boolean running = true;
  private Thread thread;

  /** A queued broadcast. */
  private record Request(
      Tag tag, byte[] data, Peer except, long enqueueNanos, CountDownLatch done) {}

  Broadcaster(NetworkConfig config, NetworkMetrics metrics, Supplier<WsPeer[]> peers, java.util.function.LongSupplier clock) {
    this.clock = clock;
    this.config = config;
    this.metrics = metrics;
    this.peers = peers;
    this.queue =
        new PriorityQueuePair<>(config.broadcastQueueHighPrioritySize(), config.broadcastQueueBulkSize());
    this.maxQueueNanos = config.maxMessageQueueDuration().toNanos();
  }

  void start() {
    thread = Thread.ofVirtual().name("gossipnet-broadcaster").start(this::run);
  }

  void stop() {
    running = false;
    java.util.List<Request> left = new java.util.ArrayList<>();
    queue.close(left);
    for (Request r : left) {
      if (r.done != null) {
        r.done.countDown();
      }
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Queues a broadcast; see {@link io.gossipnet.core.GossipNode#broadcast}. */
  void broadcast(Tag tag, byte[] data, boolean wait, Peer except) {
    if (config.disableNetworking()) {
      return;
    }
    if (!running) {
      throw new GossipException.Closed("network is stopped");
    }
    boolean high = tag.highPriority();
    if (!wait) {
      if (!queue.offer(new Request(tag, data, except, clock.getAsLong(), null), high)) {
        metrics.broadcastQueueFull.increment();
        if (!running) {
          throw new GossipException.Closed("network is stopped");
        }
        throw new GossipException.QueueFull("broadcast queue is full");
      }
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    try {
      if (!queue.put(new Request(tag, data, except, clock.getAsLong(), done), high)) {
        throw new GossipException.Closed("network is stopped");
      }
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GossipException("interrupted while broadcasting", e);
    }
  }

  private void run() {
    java.util.List<Request> next = new java.util.ArrayList<>(1);
    while (running) {
      Request r;
      try {
        // One at a time: a later high-priority request must overtake earlier bulk ones.
        if (queue.drainTo(next, 1, PriorityQueuePair.NO_TIMEOUT) == 0) {
          continue;
        }
      } catch (InterruptedException e) {
        break;
      }
      r = next.remove(0);
      try {
        deliver(r);
      } catch (InterruptedException e) {
        if (r.done != null) {
          r.done.countDown();
        }
        break;
      } catch (RuntimeException e) {
        log.error("broadcast of {} failed", r.tag, e);
      } finally {
        if (r.done != null) {
          r.done.countDown();
        }
      }
    }
  }

  private void deliver(Request r) throws InterruptedException {
    WsPeer[] snapshot = peers.get();
    // The seed polls every 5 ms until a first peer appears or the request goes stale.
    while (snapshot.length == 0) {
      if (clock.getAsLong() - r.enqueueNanos > maxQueueNanos || !running) {
        metrics.broadcastsDropped.increment();
        return;
      }
      TimeUnit.NANOSECONDS.sleep(NO_PEER_POLL_NANOS);
      snapshot = peers.get();
    }
    long now = clock.getAsLong();
    if (now - r.enqueueNanos > maxQueueNanos) {
      metrics.broadcastsDropped.increment();
      return;
    }
    OutboundMessage msg = prepare(r.tag, r.data, r.enqueueNanos);
    int limit = config.broadcastConnectionsLimit();
    int sent = 0;
    boolean high = r.tag.highPriority();
    for (WsPeer p : snapshot) {
      if (limit >= 0 && sent >= limit) {
        break;
      }
      if (p == r.except) {
        continue;
      }
      if (p.writeNonBlock(msg, high)) {
        sent++;
      } else {
        metrics.peerBroadcastDropped.increment();
      }
    }
    metrics.broadcasts.increment();
  }

  /**
   * Builds the frame once; large messages are marked for the outgoing filters, which hash them
   * only if a peer's filter holds a digest ({@link OutboundMessage#digest}).
   */
  OutboundMessage prepare(Tag tag, byte[] data, long enqueueNanos) {
    boolean filterable = config.enableOutgoingMessageFiltering() && data.length >= config.messageFilterSize();
    return new OutboundMessage(OutboundMessage.frame(tag, data), tag.code(), filterable, enqueueNanos, null);
  }
}
