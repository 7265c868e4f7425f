package io.gossipnet.core.engine;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared read buffer between the peers' read loops and the handler threads: a bounded FIFO
 * ring that wakes as few handler threads as keep it drained.
 *
 * <p>{@link java.util.concurrent.ArrayBlockingQueue} signals a waiting consumer on every put, so
 * with 20 mostly idle handler threads each message woke a thread of its own (a park and an unpark
 * per message, most of them finding the message already taken). Here a put wakes a handler only
 * when none is already on its way to the ring ({@code woken == 0}); a handler that was woken and
 * takes a message wakes the next one if messages remain and nobody else is on the way. So a backlog
 * still spreads over more handlers (one more per wake-up, which keeps a slow handler from holding
 * up the others), but a steady stream of quick messages costs one wake-up per burst rather than one
 * per message. Handlers wait without a timeout; {@link NetworkEngine#stop} interrupts them.
 *
 * @param <T> the entry type
 */
final class HandlerQueue<T> {
  private final Object[] ring;
  private int head;
  private int count;
  /** Handlers waiting in {@link #take} that nobody has signalled. */
  private int idle;
  /** Handlers signalled and not yet back in the lock. */
  private int woken;
  private boolean closed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();

  HandlerQueue(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    ring = new Object[capacity];
  }

  /** Adds an entry, waiting for room. */
  void put(T entry) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == ring.length) {
        notFull.await();
      }
      int tail = head + count;
      ring[tail >= ring.length ? tail - ring.length : tail] = entry;
      count++;
      if (woken == 0) {
        wakeOne();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Signals one idle handler, if any; the caller holds the lock. */
  private void wakeOne() {
    if (idle > 0) {
      idle--;
      woken++;
      notEmpty.signal();
    }
  }

  /** Takes the oldest entry, waiting until there is one; null once the queue is closed and empty. */
  @SuppressWarnings("unchecked")
  T take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        if (closed) {
          return null;
        }
        idle++;
        try {
          notEmpty.await();
        } catch (InterruptedException e) {
          // Interrupted before any signal reached this thread (a signalled one returns normally
          // with its interrupt status set), so it is still counted as idle.
          idle--;
          throw e;
        }
        // Only a signal ends an untimed await without an exception; the signaller moved us from
        // idle to woken.
        woken--;
      }
      T e = (T) ring[head];
      ring[head] = null;
      head = head + 1 == ring.length ? 0 : head + 1;
      count--;
      notFull.signal();
      if (count > 0 && woken == 0) {
        wakeOne();
      }
      return e;
    } finally {
      lock.unlock();
    }
  }

  /** The number of queued entries. */
  int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting handler; {@link #take} returns null from now on when the queue is empty. */
  void close() {
    lock.lock();
    try {
      closed = true;
      woken += idle;
      idle = 0;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops every queued entry. */
  void clear() {
    lock.lock();
    try {
      while (count > 0) {
        ring[head] = null;
        head = head + 1 == ring.length ? 0 : head + 1;
        count--;
      }
      head = 0;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
