package io.gossipnet.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

/**
 * The WebSocket components' buffer pool with a node-wide budget for large buffers ({@link
 * WsConfig#frameBufferBudget()}). Jetty's frame parser, when a frame under the size limit does not
 * fit the input buffer, takes a buffer of the frame's announced length before its payload arrives:
 * each buffer larger than the input buffer is counted against the budget until it is released, and
 * one that would go over it is refused with Jetty's {@link MessageTooLargeException}, so the
 * connection whose frame asked for it is closed with 1009 and the others carry on.
 *
 * <p>The parser drops a partly filled buffer without releasing it when its connection closes. Such
 * a buffer's share comes back when the buffer is collected (a {@link Cleaner}), and at the latest
 * after {@code maxHold}: longer than a connection that sends nothing stays open (the ping and pong
 * timeouts close it), so a share still held then belongs to a dropped buffer, and the budget cannot
 * be used up for good by peers that announce large frames and disconnect.
 */
final class FrameBufferBudget extends ByteBufferPool.Wrapper {
  private static final Cleaner CLEANER = Cleaner.create(Thread.ofVirtual().name("gossipnet-ws-frame-budget").factory());

  private final long budget;
  private final int smallLimit;
  private final long maxHoldNanos;
  private final AtomicLong inUse = new AtomicLong();
  private final java.util.Queue<Share> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Counter refused;

  /**
   * @param pool the pool buffers come from
   * @param budget the bytes held at most in buffers larger than {@code smallLimit}
   * @param smallLimit buffers up to this size (the input buffer's) are not counted
   * @param maxHold how long a share is held at most
   * @param meters where {@code gossipnet.ws.frame.buffer.bytes} and {@code
   *     gossipnet.ws.frame.buffer.refused} are registered
   */
  FrameBufferBudget(ByteBufferPool pool, long budget, int smallLimit, java.time.Duration maxHold, MeterRegistry meters) {
    super(pool);
    this.maxHoldNanos = maxHold.toNanos();
    this.budget = budget;
    this.smallLimit = smallLimit;
    Gauge.builder("gossipnet.ws.frame.buffer.bytes", inUse, AtomicLong::get)
        .description("bytes held in buffers for WebSocket frames that arrived in part")
        .register(meters);
    this.refused = Counter.builder("gossipnet.ws.frame.buffer.refused")
        .description("frames refused (1009) because the node's frame buffer budget was spent")
        .register(meters);
  }

  /** The bytes counted against the budget now. */
  long inUse() {
    return inUse.get();
  }

  @Override
  public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
    if (size <= smallLimit) {
      return super.acquire(size, direct);
    }
    expire();
    long now;
    do {
      now = inUse.get();
      if (now + size > budget) {
        refused.increment();
        throw new MessageTooLargeException(
            "a frame of " + size + " bytes would take the node's frame buffers over their budget of " + budget + " bytes");
      }
    } while (!inUse.compareAndSet(now, now + size));
    RetainableByteBuffer.Mutable b;
    try {
      b = super.acquire(size, direct);
    } catch (RuntimeException | Error e) {
      inUse.addAndGet(-size);
      throw e;
    }
    Share share = new Share(inUse, size, System.nanoTime() + maxHoldNanos);
    Counted counted = new Counted(b, share);
    CLEANER.register(counted, share);
    held.add(share);
    return counted;
  }

  /** Gives back the shares held past {@code maxHold} and forgets those already given back. */
  private void expire() {
    long now = System.nanoTime();
    held.removeIf(s -> {
      if (s.returned.get()) {
        return true;
      }
      if (now - s.expiresAt >= 0) {
        s.run();
        return true;
      }
      return false;
    });
  }

  /** One buffer's part of the budget, given back once: on release, or when the buffer is collected. */
  private static final class Share implements Runnable {
    private final AtomicLong inUse;
    private final int size;
    private final long expiresAt;
    private final AtomicBoolean returned = new AtomicBoolean();

    Share(AtomicLong inUse, int size, long expiresAt) {
      this.inUse = inUse;
      this.size = size;
      this.expiresAt = expiresAt;
    }

    @Override
    public void run() {
      if (returned.compareAndSet(false, true)) {
        inUse.addAndGet(-size);
      }
    }
  }

  /** A counted buffer: its last release gives its share back. */
  private static final class Counted extends RetainableByteBuffer.Wrapper {
    private final Share share;

    Counted(RetainableByteBuffer.Mutable wrapped, Share share) {
      super(wrapped);
      this.share = share;
    }

    @Override
    public boolean release() {
      boolean last = super.release();
      if (last) {
        share.run();
      }
      return last;
    }
  }
}
