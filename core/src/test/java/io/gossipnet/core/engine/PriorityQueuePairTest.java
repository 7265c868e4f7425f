package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PriorityQueuePairTest {

  @Test
  void highPriorityEntriesAreDrainedFirst() throws Exception {
    PriorityQueuePair<String> q = new PriorityQueuePair<>(4, 4);
    q.offer("b1", false);
    q.offer("b2", false);
    q.offer("h1", true);
    List<String> out = new ArrayList<>();
    assertThat(q.drainTo(out, 10, 0)).isEqualTo(3);
    assertThat(out).containsExactly("h1", "b1", "b2");
  }

  @Test
  void offerFailsOnlyForTheFullRing() {
    PriorityQueuePair<String> q = new PriorityQueuePair<>(1, 1);
    assertThat(q.offer("b", false)).isTrue();
    assertThat(q.offer("b2", false)).isFalse();
    assertThat(q.offer("h", true)).isTrue();
    assertThat(q.offer("h2", true)).isFalse();
  }

  @Test
  void putPreferHighFallsBackToBulk() throws Exception {
    PriorityQueuePair<String> q = new PriorityQueuePair<>(1, 2);
    q.offer("h", true);
    assertThat(q.putPreferHigh("c")).isTrue();
    List<String> out = new ArrayList<>();
    q.drainTo(out, 10, 0);
    assertThat(out).containsExactly("h", "c");
  }

  @Test
  void drainRespectsTheBatchLimitAndKeepsOrderAcrossWrapAround() throws Exception {
    PriorityQueuePair<Integer> q = new PriorityQueuePair<>(1, 3);
    List<Integer> out = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      q.offer(round * 10, false);
      q.offer(round * 10 + 1, false);
      q.offer(round * 10 + 2, false);
      out.clear();
      assertThat(q.drainTo(out, 2, 0)).isEqualTo(2);
      assertThat(q.drainTo(out, 2, 0)).isEqualTo(1);
      assertThat(out).containsExactly(round * 10, round * 10 + 1, round * 10 + 2);
    }
  }

  @Test
  void aBlockedConsumerWakesOnOffer() throws Exception {
    PriorityQueuePair<String> q = new PriorityQueuePair<>(2, 2);
    List<String> out = new ArrayList<>();
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        q.drainTo(out, 10, TimeUnit.SECONDS.toNanos(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    org.awaitility.Awaitility.await().until(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    q.offer("x", false);
    t.join(5000);
    assertThat(out).containsExactly("x");
  }

  @Test
  void closeHandsBackWhatWasQueuedAndRefusesMore() throws Exception {
    PriorityQueuePair<String> q = new PriorityQueuePair<>(2, 2);
    q.offer("a", false);
    q.offer("b", true);
    List<String> left = new ArrayList<>();
    q.close(left);
    assertThat(left).containsExactly("b", "a");
    assertThat(q.offer("c", false)).isFalse();
    assertThat(q.put("c", false)).isFalse();
    assertThat(q.drainTo(new ArrayList<>(), 1, TimeUnit.SECONDS.toNanos(5))).isZero();
  }

  @Test
  void aBlockedProducerWakesWhenRoomIsMade() throws Exception {
    PriorityQueuePair<String> q = new PriorityQueuePair<>(1, 1);
    q.offer("first", false);
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        q.put("second", false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    org.awaitility.Awaitility.await().until(() -> t.getState() == Thread.State.WAITING);
    List<String> out = new ArrayList<>();
    q.drainTo(out, 10, 0);
    t.join(5000);
    out.clear();
    q.drainTo(out, 10, 0);
    assertThat(out).containsExactly("second");
  }

  @Test
  void ringsGrowFromASmallStartUpToTheirCapacityKeepingOrderAcrossWrapAround() throws Exception {
    int cap = 1000;
    PriorityQueuePair<Integer> q = new PriorityQueuePair<>(cap, cap);
    java.util.List<Integer> out = new java.util.ArrayList<>();
    int next = 0;
    int expected = 0;
    // Wrap the initial ring before it has to grow, then grow it to the capacity.
    for (int i = 0; i < PriorityQueuePair.INITIAL_RING - 1; i++) {
      assertThat(q.offer(next++, false)).isTrue();
    }
    q.drainTo(out, 10, 0);
    while (q.offer(next, false)) {
      next++;
    }
    assertThat(next - 10).isEqualTo(cap);
    q.drainTo(out, Integer.MAX_VALUE, 0);
    assertThat(out).hasSize(next);
    for (int v : out) {
      assertThat(v).isEqualTo(expected++);
    }
  }
}
