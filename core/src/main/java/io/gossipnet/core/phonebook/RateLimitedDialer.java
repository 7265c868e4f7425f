package io.gossipnet.core.phonebook;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Dials under the phonebook's per-address rate limit, like the seed's {@code limitcaller.Dialer}:
 * asks {@link Phonebook#getConnectionWaitTime(String)}, waits (without blocking a thread) and asks
 * again while it says wait, then dials, then records the attempt with {@link
 * Phonebook#updateConnectionTime(String, long)} whether the dial succeeded or not.
 */
public final class RateLimitedDialer {
  private final Phonebook phonebook;
  private final Delayer delayer;

  /** A dialer that waits with {@code delayer}. */
  public RateLimitedDialer(Phonebook phonebook, Delayer delayer) {
    this.phonebook = Objects.requireNonNull(phonebook, "phonebook");
    this.delayer = Objects.requireNonNull(delayer, "delayer");
  }

  /** A dialer that waits with {@code scheduler}. */
  public RateLimitedDialer(Phonebook phonebook, ScheduledExecutorService scheduler) {
    this(phonebook, Delayer.using(scheduler));
  }

  /**
   * Dials {@code addr} once the rate limit allows it.
   *
   * @param addr the phonebook address (addresses not in the phonebook are dialled at once)
   * @param dialer starts the actual dial; called at most once
   * @return the dial's outcome. Cancelling it while waiting stops the wait and nothing is dialled;
   *     cancelling it while dialling cancels the future {@code dialer} returned (the attempt is
   *     still recorded).
   */
  public <T> CompletableFuture<T> dial(String addr, Supplier<CompletableFuture<T>> dialer) {
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(dialer, "dialer");
    Attempt<T> attempt = new Attempt<>(addr, dialer);
    attempt.step();
    return attempt.result;
  }

  /** The state of one {@link #dial} call. */
  private final class Attempt<T> {
    final String addr;
    final Supplier<CompletableFuture<T>> dialer;
    final CompletableFuture<T> result = new CompletableFuture<>();
    /** The pending delay or dial, cancelled when {@link #result} is. */
    volatile CompletableFuture<?> current;

    Attempt(String addr, Supplier<CompletableFuture<T>> dialer) {
      this.addr = addr;
      this.dialer = dialer;
      result.whenComplete((v, e) -> {
        CompletableFuture<?> c = current;
        if (result.isCancelled() && c != null) {
          c.cancel(true);
        }
      });
    }

    void step() {
      while (!result.isDone()) {
        ConnectionWait w = phonebook.getConnectionWaitTime(addr);
        if (!w.mustWait()) {
          startDial(w.provisionalTime());
          return;
        }
        CompletableFuture<Void> delay;
        try {
          delay = delayer.delay(w.waitTime());
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
          return;
        }
        current = delay;
        if (result.isCancelled()) {
          delay.cancel(false);
          return;
        }
        if (delay.isDone() && !delay.isCompletedExceptionally()) {
          continue; // a delayer that completes at once: loop instead of recursing
        }
        delay.whenComplete((v, e) -> {
          if (e != null) {
            if (!delay.isCancelled()) {
              result.completeExceptionally(e);
            }
            return;
          }
          step();
        });
        return;
      }
    }

    void startDial(long provisionalTime) {
      CompletableFuture<T> inner;
      try {
        inner = Objects.requireNonNull(dialer.get(), "dialer returned null");
      } catch (RuntimeException e) {
        phonebook.updateConnectionTime(addr, provisionalTime);
        result.completeExceptionally(e);
        return;
      }
      current = inner;
      inner.whenComplete((v, e) -> {
        phonebook.updateConnectionTime(addr, provisionalTime);
        if (e != null) {
          result.completeExceptionally(e);
        } else {
          result.complete(v);
        }
      });
      if (result.isCancelled()) {
        inner.cancel(true);
      }
    }
  }
}
