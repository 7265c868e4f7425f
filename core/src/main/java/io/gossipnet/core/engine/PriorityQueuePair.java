package io.gossipnet.core.engine;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two bounded FIFO rings, high priority and bulk, with one consumer that takes high-priority
 * entries first. This is the seed's pair of channels ({@code sendBufferHighPrio}/{@code
 * sendBufferBulk}, {@code broadcastQueueHighPrio}/{@code broadcastQueueBulk}) with the select loop
 * folded in: one lock, one condition, and a drain that hands the consumer every queued entry at
 * once, so a busy writer pays one lock round trip per batch rather than per message.
 *
 * <p>Entries are stored by reference in ring arrays that start small and double up to their
 * capacity, so an idle peer's queues cost a few hundred bytes rather than the full capacity;
 * offering allocates nothing once a ring has grown.
 *
 * @param <T> the entry type
 */
final class PriorityQueuePair<T> {
  /** First ring size; rings double from here up to their capacity. */
  static final int INITIAL_RING = 64;

  private final int highCapacity;
  private final int bulkCapacity;
  private Object[] high;
  private Object[] bulk;
  private int highHead;
  private int highCount;
  private int bulkHead;
  private int bulkCount;
  private boolean closed;
  private int waitingConsumers;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();

  PriorityQueuePair(int highCapacity, int bulkCapacity) {
    this.highCapacity = highCapacity;
    this.bulkCapacity = bulkCapacity;
    high = new Object[Math.min(highCapacity, INITIAL_RING)];
    bulk = new Object[Math.min(bulkCapacity, INITIAL_RING)];
  }

  /** Adds an entry without blocking; false if that queue is full or the pair is closed. */
  boolean offer(T entry, boolean highPriority) {
    lock.lock();
    try {
      if (closed || !enqueue(entry, highPriority)) {
        return false;
      }
      wakeConsumer();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void wakeConsumer() {
    if (waitingConsumers > 0) {
      notEmpty.signal();
    }
  }

  /**
   * Adds an entry, waiting for room.
   *
   * @return false if the pair was closed before there was room
   */
  boolean put(T entry, boolean highPriority) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!closed && !enqueue(entry, highPriority)) {
        notFull.await();
      }
      if (closed) {
        return false;
      }
      wakeConsumer();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds an entry to the high-priority ring if it has room, else waits for room in either ring (the
   * seed's sendControlMessage).
   */
  boolean putPreferHigh(T entry) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!closed && !enqueue(entry, true) && !enqueue(entry, false)) {
        notFull.await();
      }
      if (closed) {
        return false;
      }
      wakeConsumer();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean enqueue(T entry, boolean highPriority) {
    if (highPriority) {
      if (highCount == high.length) {
        if (high.length == highCapacity) {
          return false;
        }
        high = grow(high, highHead, highCount, highCapacity);
        highHead = 0;
      }
      high[(highHead + highCount++) % high.length] = entry;
    } else {
      if (bulkCount == bulk.length) {
        if (bulk.length == bulkCapacity) {
          return false;
        }
        bulk = grow(bulk, bulkHead, bulkCount, bulkCapacity);
        bulkHead = 0;
      }
      bulk[(bulkHead + bulkCount++) % bulk.length] = entry;
    }
    return true;
  }

  /** A ring twice as large (at most {@code capacity}) holding the same entries from index 0. */
  private static Object[] grow(Object[] ring, int head, int count, int capacity) {
    Object[] next = new Object[(int) Math.min(capacity, 2L * ring.length)];
    for (int i = 0; i < count; i++) {
      next[i] = ring[(head + i) % ring.length];
    }
    return next;
  }

  /**
   * A timeout for {@link #drainTo} that waits without a timer, until an entry arrives, the pair is
   * closed or the thread is interrupted. A timed wait on a virtual thread schedules and cancels a
   * timer task on every park, which cost the busy loops a wake-up of the JDK's delay scheduler
   * per wait.
   */
  static final long NO_TIMEOUT = Long.MAX_VALUE;

  /**
   * Moves up to {@code max} entries into {@code out}, high priority first, waiting up to {@code
   * timeoutNanos} ({@link #NO_TIMEOUT}: without a timeout) for the first one.
   *
   * @return the number moved; 0 on timeout or when closed and empty
   */
  int drainTo(List<T> out, int max, long timeoutNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long remaining = timeoutNanos;
      while (highCount == 0 && bulkCount == 0) {
        if (closed || remaining <= 0) {
          return 0;
        }
        waitingConsumers++;
        try {
          if (timeoutNanos == NO_TIMEOUT) {
            notEmpty.await();
          } else {
            remaining = notEmpty.awaitNanos(remaining);
          }
        } finally {
          waitingConsumers--;
        }
      }
      int n = 0;
      n += take(high, true, out, max);
      n += take(bulk, false, out, max - n);
      notFull.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  @SuppressWarnings("unchecked")
  private int take(Object[] ring, boolean isHigh, List<T> out, int max) {
    int count = isHigh ? highCount : bulkCount;
    int head = isHigh ? highHead : bulkHead;
    int n = Math.min(count, max);
    for (int i = 0; i < n; i++) {
      out.add((T) ring[head]);
      ring[head] = null;
      head = head + 1 == ring.length ? 0 : head + 1;
    }
    if (isHigh) {
      highHead = head;
      highCount -= n;
    } else {
      bulkHead = head;
      bulkCount -= n;
    }
    return n;
  }

  /** Closes the pair: offers fail, waiters wake up. Returns the entries still queued. */
  void close(List<T> remaining) {
    lock.lock();
    try {
      closed = true;
      take(high, true, remaining, Integer.MAX_VALUE);
      take(bulk, false, remaining, Integer.MAX_VALUE);
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The number of queued entries. */
  int size() {
    lock.lock();
    try {
      return highCount + bulkCount;
    } finally {
      lock.unlock();
    }
  }

  /** The number of queued high-priority entries. */
  int highSize() {
    lock.lock();
    try {
      return highCount;
    } finally {
      lock.unlock();
    }
  }

  /** The number of queued bulk entries. */
  int bulkSize() {
    lock.lock();
    try {
      return bulkCount;
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }
}
