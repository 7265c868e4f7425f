package io.gossipnet.testkit;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory link: a bounded buffer of frames with delivery times. Writers block
 * when it is full (that is the backpressure a socket gives); readers block until the first frame's
 * delivery time. A stalled pipe delivers nothing until it is released.
 */
final class MemoryPipe {
  private record Entry(byte[] frame, long deliverAtNanos) {}

  private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile LinkConditions conditions;
  private long lastDeliverAt;
  private boolean closed;
  private boolean stalled;

  MemoryPipe(LinkConditions conditions) {
    this.conditions = conditions;
  }

  void conditions(LinkConditions c) {
    this.conditions = c;
  }

  /** Queues frames in order; blocks while the buffer is full. */
  void write(List<byte[]> frames) throws InterruptedException, PipeClosedException {
    LinkConditions c = conditions;
    lock.lockInterruptibly();
    try {
      for (byte[] f : frames) {
        while (!closed && buffer.size() >= c.bufferMessages()) {
          changed.await();
        }
        if (closed) {
          throw new PipeClosedException();
        }
        if (c.dropProbability() > 0 && ThreadLocalRandom.current().nextDouble() < c.dropProbability()) {
          continue;
        }
        long deliverAt = 0;
        if (!c.latency().isZero() || c.bytesPerSecond() > 0) {
          long now = System.nanoTime();
          long transmit = c.bytesPerSecond() > 0 ? f.length * 1_000_000_000L / c.bytesPerSecond() : 0;
          // Bandwidth serialises frames; latency is added on top of when the last bit left.
          long sent = Math.max(now, lastDeliverAt - c.latency().toNanos()) + transmit;
          deliverAt = sent + c.latency().toNanos();
          lastDeliverAt = deliverAt;
        }
        boolean wasEmpty = buffer.isEmpty();
        buffer.addLast(new Entry(f, deliverAt));
        if (wasEmpty) {
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next frame once it is due; null when the pipe is closed and drained. */
  byte[] read() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        if (closed) {
          return null;
        }
        Entry e = stalled ? null : buffer.peekFirst();
        if (e == null) {
          changed.await();
          continue;
        }
        long wait = e.deliverAtNanos() - System.nanoTime();
        if (e.deliverAtNanos() != 0 && wait > 0) {
          changed.awaitNanos(wait);
          continue;
        }
        buffer.pollFirst();
        changed.signalAll();
        return e.frame();
      }
    } finally {
      lock.unlock();
    }
  }

  void stall(boolean stall) {
    lock.lock();
    try {
      stalled = stall;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      buffer.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return buffer.size();
    } finally {
      lock.unlock();
    }
  }

  /** The pipe was closed under a writer. */
  static final class PipeClosedException extends Exception {
    private static final long serialVersionUID = 1L;

    PipeClosedException() {
      super("in-memory link closed");
    }
  }
}
