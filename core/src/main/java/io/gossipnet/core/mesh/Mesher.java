package io.gossipnet.core.mesh;

import io.gossipnet.core.NetworkConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh thread (the seed's {@code baseMesher}): on a virtual thread, runs a {@link
 * MeshStrategy} pass every {@code interval} and whenever a pass is requested with {@link
 * #requestPass()}. One pass runs at a time.
 *
 * <p>Requests wait in a queue of {@value #REQUEST_QUEUE_CAPACITY} (the seed's {@code meshRequest}
 * channel); each queued request gets its own pass. When the queue is full, a new request joins the
 * newest queued one instead of being dropped: its future completes after that pass, which still
 * starts after the request was made.
 *
 * <p>A pass that throws is logged, fails the futures of its requests, and the loop goes on.
 *
 * <p>Without backoff, periodic passes run at a fixed rate of {@code interval} (missed ticks are
 * skipped), as a Go ticker. With a {@link JitterBackoff} (the seed's P2P mesher), the next periodic
 * pass is scheduled after every pass: {@code interval} later if the pass reported connections
 * (and the backoff is reset), otherwise after the backoff's next delay.
 *
 * <p>The first periodic pass comes one interval after {@link #start()}; call {@link
 * #requestPass()} right after starting for an immediate one.
 */
public final class Mesher implements AutoCloseable {
  /** Capacity of the request queue, the seed's {@code meshRequest} channel size. */
  public static final int REQUEST_QUEUE_CAPACITY = 5;

  private static final Logger log = LoggerFactory.getLogger(Mesher.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final MeshStrategy strategy;
  private final int target;
  private final long intervalNanos;
  private final JitterBackoff backoff;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final ArrayDeque<CompletableFuture<Void>> requests = new ArrayDeque<>();
  private State state = State.NEW;
  private Thread thread;

  /**
   * Creates a mesher.
   *
   * @param strategy the pass to run
   * @param target the outgoing connections wanted, passed to every pass
   * @param interval the time between periodic passes
   * @param jitterBackoff whether to back off with {@link JitterBackoff#meshDefault()} while
   *     passes find no connections
   */
  public Mesher(MeshStrategy strategy, int target, Duration interval, boolean jitterBackoff) {
    this(strategy, target, interval, jitterBackoff ? JitterBackoff.meshDefault() : null);
  }

  /**
   * Creates a mesher with a given backoff.
   *
   * @param strategy the pass to run
   * @param target the outgoing connections wanted, passed to every pass
   * @param interval the time between periodic passes
   * @param backoff the backoff used while passes find no connections, or null for none
   */
  public Mesher(MeshStrategy strategy, int target, Duration interval, JitterBackoff backoff) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (target < 0) {
      throw new IllegalArgumentException("target must be >= 0, got " + target);
    }
    if (target == 0) {
      log.warn("mesh target connection count is 0, not connecting to any peers");
    }
    this.target = target;
    this.intervalNanos = interval.toNanos();
    this.backoff = backoff;
  }

  /**
   * A mesher for a node with {@code config}: target {@link NetworkConfig#gossipFanout()}, interval
   * {@link NetworkConfig#meshInterval()}.
   */
  public static Mesher fromConfig(
      NetworkConfig config, MeshStrategy strategy, boolean jitterBackoff) {
    return new Mesher(strategy, config.gossipFanout(), config.meshInterval(), jitterBackoff);
  }

  /**
   * Starts the mesh thread.
   *
   * @throws IllegalStateException if it was already started or stopped
   */
  public void start() {
    lock.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException("mesher already " + state.name().toLowerCase());
      }
      state = State.RUNNING;
      thread = Thread.ofVirtual().name("gossipnet-mesher").start(this::loop);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for a pass as soon as the current one (if any) is done. May be called before {@link
   * #start()}; the pass then runs once started.
   *
   * @return completes after a pass that started after this call has finished (exceptionally if
   *     that pass threw); cancelled if the mesher stops first, or is already stopped. Cancelling
   *     it does not cancel the pass.
   */
  public CompletableFuture<Void> requestPass() {
    lock.lock();
    try {
      if (state == State.STOPPED) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        f.cancel(false);
        return f;
      }
      CompletableFuture<Void> request;
      if (requests.size() < REQUEST_QUEUE_CAPACITY) {
        request = new CompletableFuture<>();
        requests.addLast(request);
        wake.signalAll();
      } else {
        request = requests.peekLast(); // coalesce with the newest waiting request
      }
      return view(request);
    } finally {
      lock.unlock();
    }
  }

  /** A future with {@code request}'s outcome that callers can cancel without affecting it. */
  private static CompletableFuture<Void> view(CompletableFuture<Void> request) {
    CompletableFuture<Void> out = new CompletableFuture<>();
    request.whenComplete((v, e) -> {
      if (e == null) {
        out.complete(null);
      } else if (request.isCancelled()) {
        out.cancel(false);
      } else {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  /** Whether the mesh thread has been started and not stopped. */
  public boolean isRunning() {
    lock.lock();
    try {
      return state == State.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the mesh thread and waits for it to end, including a pass in progress. Requests still
   * queued are cancelled. Idempotent; a mesher cannot be restarted.
   */
  public void stop() {
    Thread t;
    List<CompletableFuture<Void>> dropped;
    lock.lock();
    try {
      state = State.STOPPED;
      wake.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      boolean interrupted = false;
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      dropped = new ArrayList<>(requests);
      requests.clear();
    } finally {
      lock.unlock();
    }
    for (CompletableFuture<Void> f : dropped) {
      f.cancel(false);
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private void loop() {
    long next = System.nanoTime() + intervalNanos;
    while (true) {
      CompletableFuture<Void> request;
      lock.lock();
      try {
        while (state == State.RUNNING && requests.isEmpty()) {
          long remaining = next - System.nanoTime();
          if (remaining <= 0) {
            break;
          }
          try {
            wake.awaitNanos(remaining);
          } catch (InterruptedException e) {
            // only stop() ends the loop
          }
        }
        if (state != State.RUNNING) {
          return;
        }
        request = requests.pollFirst(); // null: a periodic pass
      } finally {
        lock.unlock();
      }

      int connections = 0;
      Throwable failure = null;
      try {
        connections = strategy.meshPass(target);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        failure = e;
        log.warn("mesh pass failed; will retry on the next pass", e);
      }

      long now = System.nanoTime();
      if (backoff != null) {
        if (connections > 0) {
          backoff.reset();
          next = now + intervalNanos;
        } else {
          Duration delay = backoff.nextDelay();
          log.debug("mesh pass found no connections; next pass in {}", delay);
          next = now + delay.toNanos();
        }
      } else if (next - now <= 0) {
        long missed = (now - next) / intervalNanos;
        next += (missed + 1) * intervalNanos;
      }

      if (request != null) {
        if (failure == null) {
          request.complete(null);
        } else {
          request.completeExceptionally(failure);
        }
      }
    }
  }
}
