package io.gossipnet.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentityTrackerTest {
  private final PublicKeyIdentityTracker tracker = new PublicKeyIdentityTracker();
  private final byte[] key = HandMsgPack.filled(32, 1);
  private final Object peerA = new Object();
  private final Object peerB = new Object();

  @Test
  void anUnusedKeyIsClaimed() {
    assertThat(tracker.setIdentity(key, peerA)).isTrue();
    assertThat(tracker.holder(key)).isSameAs(peerA);
    assertThat(tracker.size()).isEqualTo(1);
  }

  @Test
  void theHolderMayClaimItsKeyAgain() {
    tracker.setIdentity(key, peerA);
    assertThat(tracker.setIdentity(key.clone(), peerA)).isTrue();
    assertThat(tracker.size()).isEqualTo(1);
  }

  @Test
  void anotherPeerClaimingAHeldKeyIsADuplicate() {
    tracker.setIdentity(key, peerA);
    assertThat(tracker.setIdentity(key.clone(), peerB)).isFalse();
    assertThat(tracker.holder(key)).isSameAs(peerA);
  }

  @Test
  void peersAreComparedByReferenceNotEquality() {
    String first = new String("peer");
    String second = new String("peer");
    tracker.setIdentity(key, first);
    assertThat(tracker.setIdentity(key, second)).isFalse();
    tracker.removeIdentity(second);
    assertThat(tracker.holder(key)).isSameAs(first);
  }

  @Test
  void removeReleasesTheKeySoAnotherPeerCanClaimIt() {
    tracker.setIdentity(key, peerA);
    tracker.removeIdentity(peerA);
    assertThat(tracker.size()).isZero();
    assertThat(tracker.setIdentity(key, peerB)).isTrue();
  }

  @Test
  void removeByAPeerThatDoesNotHoldTheKeyChangesNothing() {
    tracker.setIdentity(key, peerA);
    assertThat(tracker.setIdentity(key, peerB)).isFalse();
    tracker.removeIdentity(peerB); // the rejected duplicate closes
    tracker.removeIdentity(new Object());
    tracker.removeIdentity(null);
    assertThat(tracker.holder(key)).isSameAs(peerA);
  }

  @Test
  void removeReleasesEveryKeyThePeerHolds() {
    byte[] other = HandMsgPack.filled(32, 2);
    tracker.setIdentity(key, peerA);
    tracker.setIdentity(other, peerA);
    tracker.setIdentity(HandMsgPack.filled(32, 3), peerB);
    tracker.removeIdentity(peerA);
    assertThat(tracker.holder(key)).isNull();
    assertThat(tracker.holder(other)).isNull();
    assertThat(tracker.size()).isEqualTo(1);
  }

  @Test
  void theKeyIsCopiedOnClaim() {
    byte[] mutable = key.clone();
    tracker.setIdentity(mutable, peerA);
    mutable[0] ^= 1;
    assertThat(tracker.holder(key)).isSameAs(peerA);
    assertThat(tracker.setIdentity(key, peerB)).isFalse();
  }

  @Test
  void createReturnsAnEmptyPublicKeyTracker() {
    IdentityTracker created = IdentityTracker.create();
    assertThat(created).isInstanceOf(PublicKeyIdentityTracker.class);
    assertThat(created.setIdentity(key, peerA)).isTrue();
    assertThat(created.setIdentity(key, peerB)).isFalse();
  }

  @Test
  void noopTrackerAcceptsEveryClaim() {
    IdentityTracker noop = IdentityTracker.noop();
    assertThat(noop.setIdentity(key, peerA)).isTrue();
    assertThat(noop.setIdentity(key, peerB)).isTrue();
    noop.removeIdentity(peerA);
    assertThat(noop.setIdentity(key, peerB)).isTrue();
    assertThat(IdentityTracker.noop()).isSameAs(noop);
  }

  @Test
  void exactlyOneOfManyConcurrentClaimantsWins() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 200; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Object> peers = new ArrayList<>();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Object peer = new Object();
          peers.add(peer);
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return tracker.setIdentity(key.clone(), peer);
                  }));
        }
        start.countDown();
        int winners = 0;
        Object winner = null;
        for (int t = 0; t < threads; t++) {
          if (results.get(t).get(10, TimeUnit.SECONDS)) {
            winners++;
            winner = peers.get(t);
          }
        }
        assertThat(winners).as("round %d", round).isEqualTo(1);
        assertThat(tracker.holder(key)).isSameAs(winner);
        for (Object peer : peers) {
          tracker.removeIdentity(peer);
        }
        assertThat(tracker.size()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentClaimsAndRemovalsKeepTheMapConsistent() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger conflictsWhileHolding = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    Object peer = new Object();
                    byte[] k = HandMsgPack.filled(32, i % 16);
                    if (tracker.setIdentity(k, peer)) {
                      // while we hold it, nobody else can take it and we can re-claim it
                      if (!tracker.setIdentity(k, peer) || tracker.holder(k) != peer) {
                        conflictsWhileHolding.incrementAndGet();
                      }
                      tracker.removeIdentity(peer);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(conflictsWhileHolding).hasValue(0);
    assertThat(tracker.size()).isZero();
  }
}
