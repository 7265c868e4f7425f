package io.gossipnet.core.phonebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitedDialerTest {
  private final FakeClock clock = new FakeClock();
  private final Phonebook pb = new Phonebook(1, Duration.ofSeconds(1), clock);
  private final List<Duration> delays = new CopyOnWriteArrayList<>();

  RateLimitedDialerTest() {
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
  }

  @Test
  void dialsAtOnceUnderTheLimitAndRecordsTheConnectionTime() throws Exception {
    RateLimitedDialer dialer = new RateLimitedDialer(pb, clock.advancingDelayer(delays));
    CompletableFuture<String> inner = new CompletableFuture<>();

    CompletableFuture<String> result = dialer.dial("a", () -> inner);
    assertThat(result).isNotDone();
    clock.advance(Duration.ofMillis(300)); // the dial takes 300 ms
    inner.complete("conn");

    assertThat(result.get()).isEqualTo("conn");
    assertThat(delays).isEmpty();
    // the confirmed time (t=300 ms), not the provisional one (t=0), fills the window
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void waitsWhileTheLimitIsReachedThenDials() throws Exception {
    RateLimitedDialer dialer = new RateLimitedDialer(pb, clock.advancingDelayer(delays));
    dialer.dial("a", () -> CompletableFuture.completedFuture("first")).get();
    clock.advance(Duration.ofMillis(250));
    long before = clock.getAsLong();
    AtomicInteger dials = new AtomicInteger();

    String second =
        dialer
            .dial(
                "a",
                () -> {
                  dials.incrementAndGet();
                  return CompletableFuture.completedFuture("second");
                })
            .get();

    assertThat(second).isEqualTo("second");
    assertThat(dials).hasValue(1);
    assertThat(delays).containsExactly(Duration.ofMillis(750));
    assertThat(clock.getAsLong() - before).isEqualTo(Duration.ofMillis(750).toNanos());
  }

  @Test
  void recordsTheConnectionTimeWhenTheDialFails() {
    RateLimitedDialer dialer = new RateLimitedDialer(pb, clock.advancingDelayer(delays));
    CompletableFuture<String> result =
        dialer.dial("a", () -> CompletableFuture.failedFuture(new IOException("refused")));

    assertThatThrownBy(result::get).hasCauseInstanceOf(IOException.class);
    assertThat(pb.getConnectionWaitTime("a").mustWait()).isTrue();
  }

  @Test
  void unknownAddressesAreDialledWithoutWaiting() throws Exception {
    RateLimitedDialer dialer = new RateLimitedDialer(pb, clock.advancingDelayer(delays));
    for (int i = 0; i < 5; i++) {
      assertThat(dialer.dial("other", () -> CompletableFuture.completedFuture(1)).get())
          .isEqualTo(1);
    }
    assertThat(delays).isEmpty();
  }

  @Test
  void cancellingWhileWaitingStopsTheWaitAndNeverDials() throws Exception {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    Delayer manual =
        d -> {
          CompletableFuture<Void> f = new CompletableFuture<>();
          pending.add(f);
          return f;
        };
    RateLimitedDialer dialer = new RateLimitedDialer(pb, manual);
    dialer.dial("a", () -> CompletableFuture.completedFuture("first")).get();
    AtomicInteger dials = new AtomicInteger();

    CompletableFuture<String> result =
        dialer.dial(
            "a",
            () -> {
              dials.incrementAndGet();
              return CompletableFuture.completedFuture("second");
            });
    assertThat(pending).hasSize(1);
    assertThat(result.cancel(true)).isTrue();

    assertThat(pending.get(0)).isCancelled();
    clock.advance(Duration.ofSeconds(5));
    assertThat(dials).hasValue(0);
    assertThatThrownBy(result::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void cancellingWhileDiallingCancelsTheDial() {
    RateLimitedDialer dialer = new RateLimitedDialer(pb, clock.advancingDelayer(delays));
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> result = dialer.dial("a", () -> inner);

    result.cancel(true);

    assertThat(inner).isCancelled();
    // the attempt still counts against the limit
    assertThat(pb.getConnectionWaitTime("a").mustWait()).isTrue();
  }

  @Test
  void waitsOnAScheduledExecutorWithoutBlockingTheCaller() throws Exception {
    // real time: a 50 ms window so the wait is short
    Phonebook real = new Phonebook(1, Duration.ofMillis(50), System::nanoTime);
    real.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    try (ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor()) {
      RateLimitedDialer dialer = new RateLimitedDialer(real, scheduler);
      dialer.dial("a", () -> CompletableFuture.completedFuture(1)).get();
      long start = System.nanoTime();

      CompletableFuture<Integer> second =
          dialer.dial("a", () -> CompletableFuture.completedFuture(2));

      await().atMost(Duration.ofSeconds(5)).until(second::isDone);
      assertThat(second.get()).isEqualTo(2);
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
    }
  }

  @Test
  void aDelayerFailureFailsTheDial() {
    RateLimitedDialer dialer =
        new RateLimitedDialer(pb, d -> CompletableFuture.failedFuture(new IllegalStateException("x")));
    pb.getConnectionWaitTime("a"); // fill the window

    CompletableFuture<Object> result = dialer.dial("a", () -> CompletableFuture.completedFuture(1));

    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }
}
