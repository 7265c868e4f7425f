package io.gossipnet.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MesherTest {
  private static final Duration LONG = Duration.ofHours(1);
  private final List<Mesher> meshers = new ArrayList<>();

  private Mesher mesher(MeshStrategy s, Duration interval) {
    Mesher m = new Mesher(s, 4, interval, false);
    meshers.add(m);
    return m;
  }

  @AfterEach
  void stopAll() {
    meshers.forEach(Mesher::stop);
  }

  /** A strategy that blocks each pass until released, counting passes. */
  static final class GatedStrategy implements MeshStrategy {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(1);

    @Override
    public int meshPass(int target) {
      started.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.incrementAndGet();
      return target;
    }
  }

  @Test
  void runsPassesPeriodically() {
    AtomicInteger passes = new AtomicInteger();
    List<Integer> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
    Mesher m =
        mesher(
            t -> {
              targets.add(t);
              passes.incrementAndGet();
              return t;
            },
            Duration.ofMillis(20));
    m.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 3);
    assertThat(targets).allMatch(t -> t == 4);
  }

  @Test
  void noPassRunsBeforeTheFirstIntervalWithoutARequest() {
    AtomicInteger passes = new AtomicInteger();
    Mesher m = mesher(t -> passes.incrementAndGet(), LONG);
    m.start();
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> passes.get() == 0);
  }

  @Test
  void anOnDemandPassCompletesItsFutureAfterThePassRan() throws Exception {
    GatedStrategy s = new GatedStrategy();
    Mesher m = mesher(s, LONG);
    m.start();

    CompletableFuture<Void> f = m.requestPass();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.started.get() == 1);
    assertThat(f).isNotDone();
    s.gate.countDown();

    f.get(5, TimeUnit.SECONDS);
    assertThat(s.finished).hasValue(1);
  }

  @Test
  void requestsMadeBeforeStartRunOnceStarted() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    Mesher m = mesher(t -> passes.incrementAndGet(), LONG);
    CompletableFuture<Void> f = m.requestPass();
    assertThat(f).isNotDone();
    m.start();
    f.get(5, TimeUnit.SECONDS);
    assertThat(passes).hasValue(1);
  }

  @Test
  void requestsBeyondTheQueueCapacityCoalesceWithTheNewestQueuedOne() throws Exception {
    GatedStrategy s = new GatedStrategy();
    Mesher m = mesher(s, LONG);
    m.start();
    CompletableFuture<Void> running = m.requestPass();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.started.get() == 1);

    List<CompletableFuture<Void>> queued = new ArrayList<>();
    for (int i = 0; i < Mesher.REQUEST_QUEUE_CAPACITY + 3; i++) {
      queued.add(m.requestPass());
    }
    s.gate.countDown(); // let every pass through

    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(running).isCompleted();
    // the running pass plus one per queue slot; the 3 extra requests did not add passes
    assertThat(s.finished).hasValue(1 + Mesher.REQUEST_QUEUE_CAPACITY);
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
        .until(() -> s.started.get() == 1 + Mesher.REQUEST_QUEUE_CAPACITY);
  }

  @Test
  void aCoalescedRequestStillWaitsForAPassThatStartsAfterIt() throws Exception {
    GatedStrategy s = new GatedStrategy();
    Mesher m = mesher(s, LONG);
    m.start();
    m.requestPass();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.started.get() == 1);
    for (int i = 0; i < Mesher.REQUEST_QUEUE_CAPACITY; i++) {
      m.requestPass();
    }
    CompletableFuture<Void> coalesced = m.requestPass();

    // release passes one at a time: the coalesced request completes only with the last one
    CountDownLatch first = s.gate;
    s.gate = new CountDownLatch(1);
    first.countDown();
    for (int pass = 2; pass <= Mesher.REQUEST_QUEUE_CAPACITY; pass++) {
      int p = pass;
      await().atMost(Duration.ofSeconds(5)).until(() -> s.started.get() == p);
      assertThat(coalesced).isNotDone();
      CountDownLatch g = s.gate;
      s.gate = new CountDownLatch(1);
      g.countDown();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> s.started.get() == 6);
    assertThat(coalesced).isNotDone();
    s.gate.countDown();
    coalesced.get(5, TimeUnit.SECONDS);
  }

  @Test
  void cancellingARequestFutureDoesNotAffectOthersSharingIt() throws Exception {
    GatedStrategy s = new GatedStrategy();
    Mesher m = mesher(s, LONG);
    m.start();
    m.requestPass();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.started.get() == 1);
    for (int i = 0; i < Mesher.REQUEST_QUEUE_CAPACITY; i++) {
      m.requestPass();
    }
    CompletableFuture<Void> a = m.requestPass();
    CompletableFuture<Void> b = m.requestPass();
    a.cancel(false);
    s.gate.countDown();
    b.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aThrowingStrategyDoesNotKillTheLoop() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Mesher m =
        mesher(
            t -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
              }
              return t;
            },
            LONG);
    m.start();

    CompletableFuture<Void> failed = m.requestPass();
    assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("boom");
    m.requestPass().get(5, TimeUnit.SECONDS);
    assertThat(calls).hasValue(2);
    assertThat(m.isRunning()).isTrue();
  }

  @Test
  void stopWaitsForThePassInProgressAndIsIdempotent() throws Exception {
    GatedStrategy s = new GatedStrategy();
    Mesher m = mesher(s, LONG);
    m.start();
    m.requestPass();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.started.get() == 1);
    CompletableFuture<Void> queued = m.requestPass();

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(m::stop);
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> !stopping.isDone());
    assertThat(m.isRunning()).isFalse();
    s.gate.countDown();

    stopping.get(5, TimeUnit.SECONDS);
    assertThat(s.finished).hasValue(1);
    assertThat(queued).isCancelled();
    m.stop();
    assertThat(m.requestPass()).isCancelled();
    assertThatThrownBy(m::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stopBeforeStartCancelsQueuedRequests() {
    Mesher m = mesher(t -> t, LONG);
    CompletableFuture<Void> f = m.requestPass();
    m.stop();
    assertThat(f).isCancelled();
    assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
  }

  @Test
  void backsOffWhilePassesFindNoConnectionsThenReturnsToTheInterval() {
    AtomicInteger passes = new AtomicInteger();
    MeshStrategy s = t -> passes.incrementAndGet() < 4 ? 0 : 1;
    JitterBackoff backoff =
        new JitterBackoff(Duration.ofMillis(5), Duration.ofMillis(30), 3.0, new Random(3));
    Mesher m = new Mesher(s, 4, LONG, backoff);
    meshers.add(m);
    m.start();
    m.requestPass();

    // passes 2..4 come from the backoff, not the 1 h interval
    await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 4);
    // pass 4 found a connection: the next one is an interval away
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> passes.get() == 4);
  }

  @Test
  void fromConfigUsesTheFanoutAndMeshInterval() throws Exception {
    NetworkConfig config =
        NetworkConfig.builder("testnet").gossipFanout(7).meshInterval(Duration.ofMillis(20)).build();
    List<Integer> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
    Mesher m = Mesher.fromConfig(config, t -> { targets.add(t); return t; }, false);
    meshers.add(m);
    m.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> targets.size() >= 2);
    assertThat(targets).allMatch(t -> t == 7);
  }

  @Test
  void theNoopStrategyReportsNoConnections() throws Exception {
    assertThat(NoopMeshStrategy.INSTANCE.meshPass(4)).isZero();
    Mesher m = mesher(NoopMeshStrategy.INSTANCE, LONG);
    m.start();
    m.requestPass().get(5, TimeUnit.SECONDS);
  }
}
