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
 * <p>The parser drops a partly filled buffer without releasing it when its connection closes; a
 * {@link Cleaner} gives such a buffer's share back once the buffer is unreachable.
 */
final class FrameBufferBudget extends ByteBufferPool.Wrapper {
  private static final Cleaner CLEANER = Cleaner.create(Thread.ofVirtual().name("gossipnet-ws-frame-budget").factory());

  private final long budget;
  private final int smallLimit;
  private final AtomicLong inUse = new AtomicLong();
  private final Counter refused;

  /**
   * @param pool the pool buffers come from
   * @param budget the bytes held at most in buffers larger than {@code smallLimit}
   * @param smallLimit buffers up to this size (the input buffer's) are not counted
   * @param meters where {@code gossipnet.ws.frame.buffer.bytes} and {@code
   *     gossipnet.ws.frame.buffer.refused} are registered
   */
  FrameBufferBudget(ByteBufferPool pool, long budget, int smallLimit, MeterRegistry meters) {
    super(pool);
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
    Share share = new Share(inUse, size);
    Counted counted = new Counted(b, share);
    CLEANER.register(counted, share);
    return counted;
  }

  /** One buffer's part of the budget, given back once: on release, or when the buffer is collected. */
  private static final class Share implements Runnable {
    private final AtomicLong inUse;
    private final int size;
    private final AtomicBoolean returned = new AtomicBoolean();

    Share(AtomicLong inUse, int size) {
      this.inUse = inUse;
      this.size = size;
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
