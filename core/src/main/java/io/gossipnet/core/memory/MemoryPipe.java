package io.gossipnet.core.memory;

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
  // Frames and their delivery times in two parallel rings, so that moving a frame allocates
  // nothing: the benchmarks measure the engine, not this test transport.
  private byte[][] frames;
  private long[] deliverAt;
  private int head;
  private int count;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile LinkConditions conditions;
  private long lastDeliverAt;
  private boolean closed;
  private boolean stalled;
  private int waiters;

  MemoryPipe(LinkConditions conditions) {
    this.conditions = conditions;
    this.frames = new byte[conditions.bufferMessages()][];
    this.deliverAt = new long[conditions.bufferMessages()];
  }

  void conditions(LinkConditions c) {
    this.conditions = c;
  }

  /** Queues frames in order; blocks while the buffer is full. */
  void write(List<byte[]> batch) throws InterruptedException, PipeClosedException {
    LinkConditions c = conditions;
    boolean timed = !c.latency().isZero() || c.bytesPerSecond() > 0;
    lock.lockInterruptibly();
    try {
      boolean added = false;
      for (int i = 0, n = batch.size(); i < n; i++) {
        byte[] f = batch.get(i);
        while (!closed && count == frames.length) {
          if (added) {
            changed.signalAll();
            added = false;
          }
          waiters++;
          try {
            changed.await();
          } finally {
            waiters--;
          }
        }
        if (closed) {
          throw new PipeClosedException();
        }
        if (c.dropProbability() > 0 && ThreadLocalRandom.current().nextDouble() < c.dropProbability()) {
          continue;
        }
        long at = 0;
        if (timed) {
          long now = System.nanoTime();
          long transmit = c.bytesPerSecond() > 0 ? f.length * 1_000_000_000L / c.bytesPerSecond() : 0;
          // Bandwidth serialises frames; latency is added on top of when the last bit left.
          long sent = Math.max(now, lastDeliverAt - c.latency().toNanos()) + transmit;
          at = sent + c.latency().toNanos();
          lastDeliverAt = at;
        }
        int slot = (head + count) % frames.length;
        frames[slot] = f;
        deliverAt[slot] = at;
        count++;
        added = true;
      }
      if (added && waiters > 0) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next frame once it is due; null when the pipe is closed. */
  byte[] read() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        if (closed) {
          return null;
        }
        if (stalled || count == 0) {
          await();
          continue;
        }
        long at = deliverAt[head];
        long wait = at - System.nanoTime();
        if (at != 0 && wait > 0) {
          waiters++;
          try {
            changed.awaitNanos(wait);
          } finally {
            waiters--;
          }
          continue;
        }
        byte[] f = frames[head];
        frames[head] = null;
        head = (head + 1) % frames.length;
        count--;
        if (waiters > 0) {
          changed.signalAll();
        }
        return f;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes every frame that is due, waiting for the first; returns how many were taken (0 when
   * closed). Benchmarks use it to count deliveries without copying.
   */
  int drain(List<byte[]> out) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!closed && (stalled || count == 0)) {
        await();
      }
      int n = 0;
      long now = System.nanoTime();
      while (count > 0 && (deliverAt[head] == 0 || deliverAt[head] <= now)) {
        out.add(frames[head]);
        frames[head] = null;
        head = (head + 1) % frames.length;
        count--;
        n++;
      }
      if (n > 0 && waiters > 0) {
        changed.signalAll();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  private void await() throws InterruptedException {
    waiters++;
    try {
      changed.await();
    } finally {
      waiters--;
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
      java.util.Arrays.fill(frames, null);
      count = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return count;
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
