package io.gossipnet.core.phonebook;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How the rate-limiting helpers wait. Injected so tests can advance a fake clock instead of
 * sleeping; production uses {@link #system()} or {@link #using(ScheduledExecutorService)}.
 */
@FunctionalInterface
public interface Delayer {
  /**
   * A future that completes once {@code duration} has passed. Cancelling it should release any
   * timer it holds.
   */
  CompletableFuture<Void> delay(Duration duration);

  /** Blocks the calling thread until {@code duration} has passed, by default via {@link #delay}. */
  default void sleep(Duration duration) throws InterruptedException {
    CompletableFuture<Void> f = delay(duration);
    try {
      f.get();
    } catch (InterruptedException e) {
      f.cancel(false);
      throw e;
    } catch (ExecutionException | CancellationException e) {
      // The delay failed or was cancelled; either way the wait is over.
    }
  }

  /**
   * Waits on real time: {@link #delay} completes from a short-lived virtual thread (no platform
   * thread is blocked), {@link #sleep} is {@link Thread#sleep(Duration)}.
   */
  static Delayer system() {
    return new Delayer() {
      @Override
      public CompletableFuture<Void> delay(Duration duration) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t =
            Thread.ofVirtual()
                .name("gossipnet-delay")
                .start(
                    () -> {
                      try {
                        Thread.sleep(duration);
                        f.complete(null);
                      } catch (InterruptedException e) {
                        f.cancel(false);
                      }
                    });
        f.whenComplete((v, e) -> {
          if (f.isCancelled()) {
            t.interrupt();
          }
        });
        return f;
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
      }
    };
  }

  /**
   * Waits on real time with {@code scheduler}: {@link #delay} completes on the scheduler's thread,
   * and cancelling it cancels the scheduled task.
   */
  static Delayer using(ScheduledExecutorService scheduler) {
    return duration -> {
      CompletableFuture<Void> f = new CompletableFuture<>();
      ScheduledFuture<?> task;
      try {
        task = scheduler.schedule(() -> f.complete(null), duration.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        f.completeExceptionally(e);
        return f;
      }
      f.whenComplete((v, e) -> {
        if (f.isCancelled()) {
          task.cancel(false);
        }
      });
      return f;
    };
  }
}
