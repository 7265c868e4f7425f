package io.gossipnet.core.phonebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.Test;

class DelayerTest {
  @Test
  void systemDelayCompletesAfterTheDuration() {
    long start = System.nanoTime();
    CompletableFuture<Void> f = Delayer.system().delay(Duration.ofMillis(20));
    await().atMost(Duration.ofSeconds(5)).until(f::isDone);
    assertThat(f).isCompleted();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
  }

  @Test
  void cancellingAScheduledDelayCancelsTheTask() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    scheduler.setRemoveOnCancelPolicy(true);
    try {
      CompletableFuture<Void> f = Delayer.using(scheduler).delay(Duration.ofHours(1));
      assertThat(scheduler.getQueue()).hasSize(1);
      f.cancel(false);
      assertThat(scheduler.getQueue()).isEmpty();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aShutDownSchedulerFailsTheDelay() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    scheduler.shutdown();
    assertThat(Delayer.using(scheduler).delay(Duration.ofMillis(1))).isCompletedExceptionally();
  }

  @Test
  void defaultSleepWaitsForTheDelay() throws Exception {
    FakeClock clock = new FakeClock();
    java.util.List<Duration> delays = new java.util.ArrayList<>();
    Delayer d = clock.advancingDelayer(delays);
    long before = clock.getAsLong();
    d.sleep(Duration.ofSeconds(3));
    assertThat(clock.getAsLong() - before).isEqualTo(Duration.ofSeconds(3).toNanos());
  }
}
