package io.gossipnet.libp2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The iterative lookup as a specification, on an in-memory network (no sockets): disjointness of
 * paths, equivalence of one path with plain Kademlia, resistance of two paths to a colluding
 * cluster, early stop for providers, and the query deadline.
 */
class LookupTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final PeerId self = PrivateKey.generate().peerId();
  private final Map<String, Long> metrics = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static KadPeer peer(PeerId id) {
    return new KadPeer(id, List.of());
  }

  private static List<PeerId> ids(int n) {
    List<PeerId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(PrivateKey.generate().peerId());
    }
    return out;
  }

  private static Comparator<PeerId> byDistanceTo(KadKey target) {
    return Comparator.comparing((PeerId p) -> KadKey.of(p.toBytes()), target::compareDistance);
  }

  private static List<PeerId> closestTo(KadKey target, List<PeerId> among, int n) {
    return among.stream().sorted(byDistanceTo(target)).limit(n).toList();
  }

  /**
   * A benign network: each peer knows its own 3K closest peers plus a few random ones, and answers
   * FIND_NODE with the K closest it knows to the target.
   */
  private static Map<PeerId, List<PeerId>> network(List<PeerId> peers, int k, long seed) {
    Random r = new Random(seed);
    Map<PeerId, List<PeerId>> known = new HashMap<>();
    for (PeerId p : peers) {
      Set<PeerId> s = new HashSet<>(closestTo(KadKey.of(p.toBytes()),
          peers.stream().filter(q -> !q.equals(p)).toList(), 3 * k));
      for (int i = 0; i < 8; i++) {
        PeerId q = peers.get(r.nextInt(peers.size()));
        if (!q.equals(p)) {
          s.add(q);
        }
      }
      known.put(p, List.copyOf(s));
    }
    return known;
  }

  private static KadMessage answer(KadKey target, List<PeerId> known, int k) {
    List<KadPeer> closer = closestTo(target, known, k).stream().map(LookupTest::peer).toList();
    return new KadMessage(KadMessage.Type.FIND_NODE, null, null, closer, List.of());
  }

  private Lookup lookup(KadKey target, int k, int alpha, int paths, int want, Duration timeout,
      Lookup.Requester requester) {
    return new Lookup(target, self, k, alpha, paths, want, timeout, executor, requester, p -> { },
        (name, n) -> metrics.merge(name, n, Long::sum));
  }

  private Lookup lookup(KadKey target, int k, int alpha, int paths, Lookup.Requester requester) {
    return lookup(target, k, alpha, paths, 0, LONG, requester);
  }

  @Test
  void noPeerIsQueriedByTwoPathsAndEachPathAsksOnlyPeersItWasDealtOrLearnedItself() {
    int k = 20;
    List<PeerId> peers = ids(300);
    Map<PeerId, List<PeerId>> known = network(peers, k, 1);
    for (int round = 0; round < 5; round++) {
      KadKey target = KadKey.of(PrivateKey.generate().peerId().toBytes());
      Map<PeerId, AtomicInteger> asked = new ConcurrentHashMap<>();
      List<PeerId> start = peers.subList(round * 40, round * 40 + 40); // the querier's "routing table"
      Lookup.Result r = lookup(target, k, 3, 3, p -> {
        asked.computeIfAbsent(p.id(), x -> new AtomicInteger()).incrementAndGet();
        return answer(target, known.get(p.id()), k);
      }).run(start.stream().map(LookupTest::peer).toList());

      assertThat(asked.values()).allMatch(c -> c.get() == 1);
      Set<PeerId> union = new HashSet<>();
      r.queried().forEach(union::addAll);
      assertThat(r.queried().stream().flatMap(List::stream).distinct().count())
          .isEqualTo(r.queried().stream().mapToLong(List::size).sum()); // disjoint
      assertThat(union).isEqualTo(asked.keySet());
      // the K closest to the target over all paths are found, as a single path would
      assertThat(r.closest()).extracting(KadPeer::id).containsExactlyElementsOf(closestTo(target, peers, k));

      // the starting K are dealt round-robin by distance; a path asks only what it was dealt or learned
      List<PeerId> seeds = closestTo(target, start, k);
      for (int i = 0; i < 3; i++) {
        Set<PeerId> mine = new HashSet<>();
        for (int j = i; j < seeds.size(); j += 3) {
          mine.add(seeds.get(j));
        }
        List<PeerId> path = r.queried().get(i);
        Set<PeerId> learned = new HashSet<>();
        path.forEach(by -> answer(target, known.get(by), k).closer().forEach(c -> learned.add(c.id())));
        for (PeerId q : path) {
          assertThat(mine.contains(q) || learned.contains(q)).as("dealt to path %d or learned by it", i).isTrue();
        }
      }
    }
    assertThat(metrics.get("query.paths.3")).isEqualTo(5);
    long queried = metrics.entrySet().stream().filter(e -> e.getKey().matches("query\\.path\\.\\d\\.queried"))
        .mapToLong(Map.Entry::getValue).sum();
    assertThat(queried).isPositive();
    assertThat(metrics.get("query.disjoint.skipped")).isPositive(); // the paths did meet, and kept apart
  }

  /**
   * Plain Kademlia with ALPHA = 1, written out directly: ask the closest not yet asked peer among
   * the K closest that have not failed, until all of those K have answered.
   */
  private static List<PeerId> classicLookup(KadKey target, List<PeerId> start, int k,
      Function<PeerId, List<PeerId>> ask, List<PeerId> queried) {
    Map<PeerId, Boolean> state = new LinkedHashMap<>(); // false: not asked, true: answered
    closestTo(target, start, k).forEach(p -> state.put(p, false));
    Set<PeerId> failed = new HashSet<>();
    while (true) {
      List<PeerId> window = closestTo(target, List.copyOf(state.keySet()), k);
      PeerId next = window.stream().filter(p -> !state.get(p)).findFirst().orElse(null);
      if (next == null) {
        return window;
      }
      queried.add(next);
      List<PeerId> closer = ask.apply(next);
      if (closer == null) {
        state.remove(next);
        failed.add(next);
        continue;
      }
      state.put(next, true);
      closer.stream().filter(c -> !failed.contains(c)).forEach(c -> state.putIfAbsent(c, false));
    }
  }

  @Test
  void onePathIsPlainKademlia() {
    int k = 8;
    List<PeerId> peers = ids(150);
    Map<PeerId, List<PeerId>> known = network(peers, k, 2);
    Set<PeerId> dead = new HashSet<>(peers.subList(0, 30)); // they fail every request
    for (int round = 0; round < 5; round++) {
      KadKey target = KadKey.of(PrivateKey.generate().peerId().toBytes());
      Function<PeerId, List<PeerId>> ask = p -> dead.contains(p) ? null
          : answer(target, known.get(p), k).closer().stream().map(KadPeer::id).toList();
      List<PeerId> start = peers.subList(round * 20, round * 20 + 20);
      List<PeerId> expectedQueried = new ArrayList<>();
      List<PeerId> expected = classicLookup(target, start, k, ask, expectedQueried);

      Lookup.Result r = lookup(target, k, 1, 1, p -> {
        List<PeerId> c = ask.apply(p.id());
        if (c == null) {
          throw new java.io.IOException("dead");
        }
        return new KadMessage(KadMessage.Type.FIND_NODE, null, null, c.stream().map(LookupTest::peer).toList(),
            List.of());
      }).run(start.stream().map(LookupTest::peer).toList());
      assertThat(r.queried()).hasSize(1);
      assertThat(r.queried().get(0)).containsExactlyElementsOf(expectedQueried);
      assertThat(r.closest()).extracting(KadPeer::id).containsExactlyElementsOf(expected);
    }
    assertThat(metrics.get("query.paths.1")).isEqualTo(5);
    assertThat(metrics).doesNotContainKey("query.disjoint.skipped");
  }

  @Test
  void zeroAndOneDisjointPathsAreBothOnePath() {
    assertThat(KadConfig.defaults().disjointPaths()).isZero();
    assertThat(KadConfig.defaults().lookupPaths()).isEqualTo(1);
    assertThat(KadConfig.defaults().withDisjointPaths(1).lookupPaths()).isEqualTo(1);
    assertThat(KadConfig.defaults().withDisjointPaths(3).lookupPaths()).isEqualTo(3);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> KadConfig.defaults().withDisjointPaths(-1));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> KadConfig.defaults().withK(3).withDisjointPaths(4));
  }

  /** {@code n} fresh peer IDs closer to {@code target} than every one of {@code honest}, as an attacker grinds them. */
  static List<PeerId> sybilsCloserThan(KadKey target, List<PeerId> honest, int n) {
    return sybilKeysCloserThan(target, honest, n).stream().map(PrivateKey::peerId).toList();
  }

  /** The identity keys of {@code n} such sybils. */
  static List<PrivateKey> sybilKeysCloserThan(KadKey target, List<PeerId> honest, int n) {
    KadKey nearestHonest = honest.stream().map(p -> KadKey.of(p.toBytes())).min(target::compareDistance)
        .orElseThrow();
    List<PrivateKey> out = new ArrayList<>();
    for (int tries = 0; out.size() < n; tries++) {
      if (tries > 100_000) {
        throw new IllegalStateException("could not grind sybil IDs");
      }
      PrivateKey key = PrivateKey.generate();
      if (target.compareDistance(KadKey.of(key.peerId().toBytes()), nearestHonest) < 0) {
        out.add(key);
      }
    }
    return out;
  }

  @Test
  void aColludingClusterEclipsesOnePathButNotTwoDisjointPaths() {
    // K = 4, ALPHA = 3. Honest: h knows x. K + ALPHA colluding sybils, all closer to x than h,
    // answer only with each other; three of them are in our routing table next to h, so the K
    // closest we start from are three sybils and h.
    int k = 4;
    int alpha = 3;
    PeerId x = PrivateKey.generate().peerId();
    PeerId h = PrivateKey.generate().peerId();
    KadKey target = KadKey.of(x.toBytes());
    List<PeerId> sybils = sybilsCloserThan(target, List.of(h), k + alpha);
    Lookup.Requester requester = p -> {
      List<PeerId> closer;
      if (sybils.contains(p.id())) {
        closer = sybils.stream().filter(s -> !s.equals(p.id())).toList();
      } else if (p.id().equals(h)) {
        closer = List.of(x);
      } else {
        closer = List.of(h);
      }
      return new KadMessage(KadMessage.Type.FIND_NODE, null, null, closer.stream().map(LookupTest::peer).toList(),
          List.of());
    };
    List<KadPeer> start = List.of(peer(sybils.get(0)), peer(sybils.get(1)), peer(sybils.get(2)), peer(h));
    for (int a : new int[] {1, alpha}) {
      // one path asks the three sybils first; they name K + ALPHA - 3 more, which fill its K closest
      // (even while requests are in flight): h is never asked
      Lookup.Result one = lookup(target, k, a, 1, requester).run(start);
      assertThat(one.closest()).extracting(KadPeer::id).allMatch(sybils::contains).hasSize(k);
      assertThat(one.queried().get(0)).doesNotContain(h, x).allMatch(sybils::contains);
    }
    // two paths: h is dealt to the second path with one sybil and asked in its first round; x,
    // which only h names, is the second path's and is asked too. The sybils the second path hears
    // of that the first path already has are skipped.
    for (int round = 0; round < 5; round++) {
      Lookup.Result two = lookup(target, k, alpha, 2, requester).run(start);
      assertThat(two.closest().get(0).id()).isEqualTo(x);
      assertThat(two.queried().get(1)).contains(h, x);
      assertThat(two.queried().get(0)).allMatch(sybils::contains);
    }
    assertThat(metrics.get("query.disjoint.skipped")).isPositive();
  }

  private static KadMessage providers(List<PeerId> closer, List<PeerId> providers) {
    return new KadMessage(KadMessage.Type.GET_PROVIDERS, null, null,
        closer.stream().map(LookupTest::peer).toList(), providers.stream().map(LookupTest::peer).toList());
  }

  @Test
  void withTwoPathsAFastFakeProviderDoesNotStopTheLookupBeforeTheOtherPathHasOne() {
    PeerId fake = PrivateKey.generate().peerId();
    PeerId real = PrivateKey.generate().peerId();
    PeerId sybil = PrivateKey.generate().peerId();
    PeerId honest = PrivateKey.generate().peerId();
    KadKey target = KadKey.of(Capabilities.capabilityKey("content"));
    for (int paths : new int[] {1, 2}) {
      // the honest answer comes only after the lookup has taken in the sybil's fake provider (with
      // one path: never; the request must then be abandoned)
      CountDownLatch sybilProcessed = new CountDownLatch(1);
      CountDownLatch release = paths == 1 ? new CountDownLatch(1) : sybilProcessed;
      AtomicBoolean honestStarted = new AtomicBoolean();
      AtomicBoolean honestAbandoned = new AtomicBoolean();
      Lookup.Requester requester = p -> {
        if (p.id().equals(sybil)) {
          return providers(List.of(), List.of(fake));
        }
        honestStarted.set(true);
        try {
          release.await();
        } catch (InterruptedException e) {
          honestAbandoned.set(true);
          throw e;
        }
        return providers(List.of(), List.of(real));
      };
      Lookup l = new Lookup(target, self, 20, 3, paths, 1, LONG, executor, requester, p -> {
        if (p.id().equals(sybil)) {
          sybilProcessed.countDown();
        }
      }, (name, n) -> metrics.merge(name, n, Long::sum));
      Lookup.Result r = l.run(List.of(peer(sybil), peer(honest)));
      if (paths == 1) {
        // one path stops at the first provider: the fake one; the honest request is cancelled
        // (interrupted if it had started)
        assertThat(r.providers()).extracting(KadPeer::id).containsExactly(fake);
        await().atMost(Duration.ofSeconds(10)).until(() -> !honestStarted.get() || honestAbandoned.get());
      } else {
        // two paths: the honest path is still looking and has none yet, so the lookup goes on
        assertThat(r.providers()).extracting(KadPeer::id).containsExactlyInAnyOrder(fake, real);
        assertThat(honestAbandoned).isFalse();
      }
    }
    assertThat(metrics.get("query.providers.early")).isEqualTo(2);
  }

  @Test
  void providersOfAllPathsAreGatheredWhenMoreAreWanted() {
    List<PeerId> holders = ids(6);
    List<PeerId> provs = ids(6);
    KadKey target = KadKey.of(Capabilities.capabilityKey("many"));
    Lookup.Result r = lookup(target, 20, 3, 3, 100, LONG, p -> providers(List.of(),
        List.of(provs.get(holders.indexOf(p.id()))))).run(holders.stream().map(LookupTest::peer).toList());
    assertThat(r.providers()).extracting(KadPeer::id).containsExactlyInAnyOrderElementsOf(provs);
    assertThat(r.queried()).allSatisfy(q -> assertThat(q).hasSize(2));
  }

  @Test
  void theQueryDeadlineEndsTheLookupAndAbandonsItsRequests() {
    PeerId stuck = PrivateKey.generate().peerId();
    PeerId ok = PrivateKey.generate().peerId();
    AtomicBoolean interrupted = new AtomicBoolean();
    KadKey target = KadKey.of(new byte[] {1});
    long t0 = System.nanoTime();
    Lookup.Result r = lookup(target, 20, 3, 2, 0, Duration.ofMillis(300), p -> {
      if (p.id().equals(ok)) {
        return new KadMessage(KadMessage.Type.FIND_NODE, null, null, List.of(), List.of());
      }
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
      return null;
    }).run(List.of(peer(stuck), peer(ok)));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.closest()).extracting(KadPeer::id).containsExactly(ok); // the unanswered one is not reported
    assertThat(metrics.get("query.timeout")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).untilTrue(interrupted);
  }
}
