package io.gossipnet.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MessageFilterTest {
  /** A distinct digest per integer. */
  private static Digest d(int i) {
    byte[] b = new byte[32];
    b[0] = (byte) (i >>> 24);
    b[1] = (byte) (i >>> 16);
    b[2] = (byte) (i >>> 8);
    b[3] = (byte) i;
    b[31] = 1;
    return Digest.fromBytes(b);
  }

  @Test
  void aRepeatedMessageIsReportedAsDuplicate() {
    MessageFilter f = new MessageFilter(3, 4);
    assertThat(f.checkAndInsert(d(1))).isFalse();
    assertThat(f.checkAndInsert(d(1))).isTrue();
    assertThat(f.checkAndInsert(d(2))).isFalse();
    assertThat(f.contains(d(1))).isTrue();
    assertThat(f.contains(d(3))).isFalse();
  }

  @Test
  void everInsertedTellsWhetherAnyDigestWasRecorded() {
    MessageFilter f = new MessageFilter(3, 4);
    assertThat(f.everInserted()).isFalse();
    f.contains(d(1));
    assertThat(f.everInserted()).as("contains records nothing").isFalse();
    f.insert(d(1));
    assertThat(f.everInserted()).isTrue();
  }

  @Test
  void containsDoesNotRecord() {
    MessageFilter f = new MessageFilter(3, 4);
    assertThat(f.contains(d(1))).isFalse();
    assertThat(f.contains(d(1))).isFalse();
    f.insert(d(1));
    assertThat(f.contains(d(1))).isTrue();
    assertThat(f.size()).isEqualTo(1);
  }

  @Test
  void theOldestBucketIsEvictedAfterBucketsTimesSizeInserts() {
    int buckets = 3;
    int size = 4;
    MessageFilter f = new MessageFilter(buckets, size);
    for (int i = 0; i < buckets * size; i++) {
      assertThat(f.checkAndInsert(d(i))).isFalse();
    }
    // The first bucket's digests are gone; the newest (buckets - 1) x size remain.
    for (int i = 0; i < size; i++) {
      assertThat(f.contains(d(i))).as("digest %d", i).isFalse();
    }
    for (int i = size; i < buckets * size; i++) {
      assertThat(f.contains(d(i))).as("digest %d", i).isTrue();
    }
    assertThat(f.size()).isEqualTo((buckets - 1) * size);
    // Evicted digests are new again.
    assertThat(f.checkAndInsert(d(0))).isFalse();
  }

  @Test
  void theFilterRemembersAtLeastBucketsMinusOneTimesSize() {
    MessageFilter f = new MessageFilter(5, 7);
    for (int i = 0; i < 1000; i++) {
      f.insert(d(i));
      int from = Math.max(0, i - 4 * 7 + 1);
      assertThat(f.contains(d(from))).as("digest %d after %d", from, i).isTrue();
      assertThat(f.size()).isLessThanOrEqualTo(5 * 7);
    }
  }

  @Test
  void promotionKeepsAHotDigestAlive() {
    MessageFilter f = new MessageFilter(3, 4);
    Digest hot = d(-1);
    f.insert(hot);
    for (int i = 0; i < 1000; i++) {
      f.insert(d(i));
      if (i % 4 == 0) {
        assertThat(f.checkAndInsert(hot)).as("hot digest after %d inserts", i).isTrue();
      }
    }
    assertThat(f.contains(hot)).isTrue();
    // Without promotion it would be gone: a cold digest inserted at the same time is.
    MessageFilter g = new MessageFilter(3, 4);
    g.insert(hot);
    for (int i = 0; i < 1000; i++) {
      g.insert(d(i));
      if (i % 4 == 0) {
        g.contains(hot);
      }
    }
    assertThat(g.contains(hot)).isFalse();
  }

  @Test
  void aSingleBucketForgetsEverythingWhenFull() {
    MessageFilter f = new MessageFilter(1, 2);
    f.insert(d(1));
    assertThat(f.contains(d(1))).isTrue();
    f.insert(d(2));
    assertThat(f.contains(d(1))).isFalse();
    assertThat(f.contains(d(2))).isFalse();
  }

  @Test
  void invalidSizesAreRejected() {
    assertThatThrownBy(() -> new MessageFilter(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MessageFilter(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentInsertersSeeEachDigestAsNewExactlyOnce() throws Exception {
    int threads = 4;
    int perThread = 2000;
    // Large enough that nothing is evicted: every digest must be new exactly once.
    MessageFilter f = new MessageFilter(4, threads * perThread);
    AtomicInteger fresh = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                // Every thread inserts the same digests, so each is new for one thread only.
                for (int i = 0; i < perThread; i++) {
                  if (!f.checkAndInsert(d(i))) {
                    fresh.incrementAndGet();
                  }
                }
              });
      th.start();
      ts.add(th);
    }
    start.countDown();
    for (Thread th : ts) {
      th.join(30_000);
    }
    assertThat(fresh.get()).isEqualTo(perThread);
    assertThat(f.size()).isEqualTo(perThread);
  }

  @Test
  void concurrentUseWithEvictionStaysBounded() throws Exception {
    MessageFilter f = new MessageFilter(3, 16);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 100_000;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 5000; i++) {
                  f.checkAndInsert(d(base + i));
                  f.contains(d(base + i / 2));
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join(30_000);
    }
    assertThat(f.size()).isBetween(2 * 16, 3 * 16);
  }
}
