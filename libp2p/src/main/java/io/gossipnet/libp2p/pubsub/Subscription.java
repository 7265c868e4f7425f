package io.gossipnet.libp2p.pubsub;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A pull subscription to one topic (go-libp2p-pubsub's {@code Subscription}, go-algorand's
 * {@code SubNextCancellable}): accepted messages wait in a bounded buffer until a reader takes
 * them with {@link #next()}. The validation worker that delivers a message never waits: when the
 * buffer is full the message is dropped for this subscription only (it was validated and is
 * forwarded all the same) and counted, here ({@link #dropped()}) and on the router
 * ({@code subscription.dropped}). Any number of threads may read.
 *
 * <p>Get one from {@link GossipSub#subscribe(String)}; {@link #cancel()} unsubscribes. Buffered
 * messages are still returned after a cancel, then {@link #next()} throws
 * {@link CancellationException} (go's {@code ErrSubscriptionCancelled}).
 */
public final class Subscription implements AutoCloseable {
  private final String topic;
  private final int capacity;
  private final GossipSub router;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<PubsubMessage> buffer = new ArrayDeque<>();
  private final Sink sink = new Sink();
  private boolean cancelled;
  private long dropped;

  Subscription(GossipSub router, String topic, int capacity) {
    this.router = router;
    this.topic = topic;
    this.capacity = capacity;
  }

  /** The topic. */
  public String topic() {
    return topic;
  }

  /** The next message, waiting as long as it takes. */
  public PubsubMessage next() throws InterruptedException {
    PubsubMessage m;
    do {
      m = next(Duration.ofDays(1));
    } while (m == null);
    return m;
  }

  /**
   * The next message, or {@code null} if none arrived within {@code timeout}.
   *
   * @throws CancellationException once the subscription is cancelled and its buffer is empty
   */
  public PubsubMessage next(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (buffer.isEmpty()) {
        if (cancelled) {
          throw new CancellationException("subscription to " + topic + " cancelled");
        }
        if (left <= 0) {
          return null;
        }
        left = notEmpty.awaitNanos(left);
      }
      return buffer.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Messages waiting to be read. */
  public int buffered() {
    lock.lock();
    try {
      return buffer.size();
    } finally {
      lock.unlock();
    }
  }

  /** Messages dropped for this subscription because its buffer was full. */
  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #cancel()} was called, or another subscription to the topic replaced this one. */
  public boolean isCancelled() {
    lock.lock();
    try {
      return cancelled;
    } finally {
      lock.unlock();
    }
  }

  /** Unsubscribes from the topic (if this is still its subscription) and wakes waiting readers. */
  public void cancel() {
    markCancelled();
    router.cancel(this);
  }

  /** Same as {@link #cancel()}. */
  @Override
  public void close() {
    cancel();
  }

  Consumer<PubsubMessage> sink() {
    return sink;
  }

  void markCancelled() {
    lock.lock();
    try {
      cancelled = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code m} unless the buffer is full or the subscription cancelled; never waits. */
  boolean offer(PubsubMessage m) {
    lock.lock();
    try {
      if (cancelled) {
        return false;
      }
      if (buffer.size() >= capacity) {
        dropped++;
        return false;
      }
      buffer.addLast(m);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The router's handler for this subscription. */
  final class Sink implements Consumer<PubsubMessage> {
    @Override
    public void accept(PubsubMessage m) {
      if (!offer(m) && !isCancelled()) {
        router.countDropped();
      }
    }

    Subscription subscription() {
      return Subscription.this;
    }
  }
}
