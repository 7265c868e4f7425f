package io.gossipnet.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store's semantics: last writer wins, ties by node ID, merges idempotent and commutative, limits. */
class KvStoreTest {
  private final AtomicLong wall = new AtomicLong(1_000);

  private KvStore store(String nodeId) {
    return new KvStore(nodeId, 100, wall::get);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String value(KvStore store, String key) {
    return new String(store.get(key).orElseThrow().value(), StandardCharsets.UTF_8);
  }

  @Test
  void aLocalWriteIsReadBackWithTheWallClockTimeAndThisNodesId() throws Exception {
    KvStore store = store("a");
    Version v = store.put("k", bytes("one"));
    assertThat(v).isEqualTo(new Version(1_000, "a"));
    assertThat(value(store, "k")).isEqualTo("one");
    assertThat(store.get("k").orElseThrow().version()).isEqualTo(v);
    assertThat(store.get("missing")).isEmpty();
  }

  @Test
  void theLaterOfTwoWritesWinsWhicheverArrivesFirst() {
    KvStore store = store("a");
    assertThat(store.merge("k", bytes("new"), new Version(20, "b"))).isEqualTo(KvStore.Outcome.APPLIED);
    assertThat(store.merge("k", bytes("old"), new Version(10, "c"))).isEqualTo(KvStore.Outcome.STALE);
    assertThat(value(store, "k")).isEqualTo("new");
  }

  @Test
  void aLocalWriteWinsOverEveryWriteTheStoreHasSeenEvenWithItsWallClockBehind() throws Exception {
    KvStore store = store("a");
    store.merge("k", bytes("from the future"), new Version(5_000, "b"));
    Version mine = store.put("k", bytes("mine"));
    assertThat(mine.timestamp()).isEqualTo(5_001);
    assertThat(value(store, "k")).isEqualTo("mine");
    // Successive writes in the same millisecond still get increasing timestamps.
    assertThat(store.put("k", bytes("again")).timestamp()).isEqualTo(5_002);
  }

  @Test
  void concurrentWritesWithEqualTimestampsAreDecidedByNodeIdTheSameWayOnEveryStore() {
    KvStore one = store("x");
    KvStore two = store("y");
    one.merge("k", bytes("from a"), new Version(7, "node-a"));
    one.merge("k", bytes("from b"), new Version(7, "node-b"));
    two.merge("k", bytes("from b"), new Version(7, "node-b"));
    two.merge("k", bytes("from a"), new Version(7, "node-a"));
    assertThat(value(one, "k")).isEqualTo("from b");
    assertThat(value(two, "k")).isEqualTo("from b");
  }

  @Test
  void twoWritesWithTheSameVersionButDifferentValuesAreDecidedByTheValueSoStoresStillAgree() {
    KvStore one = store("x");
    KvStore two = store("y");
    Version same = new Version(7, "twin");
    one.merge("k", bytes("apple"), same);
    one.merge("k", bytes("pear"), same);
    two.merge("k", bytes("pear"), same);
    two.merge("k", bytes("apple"), same);
    assertThat(value(one, "k")).isEqualTo("pear");
    assertThat(value(two, "k")).isEqualTo("pear");
    assertThat(one.digest()).isEqualTo(two.digest());
  }

  @Test
  void mergingTheSameWriteAgainChangesNothing() {
    KvStore store = store("a");
    assertThat(store.merge("k", bytes("v"), new Version(3, "b"))).isEqualTo(KvStore.Outcome.APPLIED);
    long digest = store.digest();
    assertThat(store.merge("k", bytes("v"), new Version(3, "b"))).isEqualTo(KvStore.Outcome.STALE);
    assertThat(store.digest()).isEqualTo(digest);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void storesThatMergeTheSameWritesInAnyOrderAndAnyNumberOfTimesEndUpEqual() {
    Random random = new Random(42);
    List<KvWrite> writes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      writes.add(new KvWrite("k" + random.nextInt(20), bytes("v" + random.nextInt(5)),
          new Version(random.nextInt(50), "n" + random.nextInt(4))));
    }
    KvStore reference = store("ref");
    writes.forEach(w -> reference.merge(w.key(), w.value(), w.version()));
    for (int round = 0; round < 20; round++) {
      List<KvWrite> shuffled = new ArrayList<>(writes);
      shuffled.addAll(writes.subList(0, random.nextInt(writes.size())));
      Collections.shuffle(shuffled, random);
      KvStore other = store("other");
      shuffled.forEach(w -> other.merge(w.key(), w.value(), w.version()));
      assertThat(other.entriesAfter(null)).containsExactlyElementsOf(reference.entriesAfter(null));
      assertThat(other.digest()).isEqualTo(reference.digest());
      assertThat(other.size()).isEqualTo(reference.size());
    }
  }

  @Test
  void theDigestTellsStoresWithDifferentEntriesApart() {
    KvStore one = store("x");
    KvStore two = store("y");
    assertThat(one.digest()).isEqualTo(two.digest());
    one.merge("k", bytes("v"), new Version(1, "n"));
    assertThat(one.digest()).isNotEqualTo(two.digest());
    two.merge("k", bytes("w"), new Version(1, "m"));
    assertThat(one.digest()).isNotEqualTo(two.digest());
    two.merge("k", bytes("v"), new Version(1, "n"));
    assertThat(one.digest()).isEqualTo(two.digest());
  }

  @Test
  void entriesAreListedInKeyOrderAfterAGivenKey() {
    KvStore store = store("a");
    for (String k : List.of("c", "a", "d", "b")) {
      store.merge(k, bytes(k), new Version(1, "n"));
    }
    assertThat(store.entriesAfter(null)).extracting(KvStore.Entry::key).containsExactly("a", "b", "c", "d");
    assertThat(store.entriesAfter("b")).extracting(KvStore.Entry::key).containsExactly("c", "d");
    assertThat(store.entriesAfter("bb")).extracting(KvStore.Entry::key).containsExactly("c", "d");
  }

  @Test
  void aKeyIsOneTo256BytesOfWellFormedUtf8WithoutControlCharacters() {
    assertThat(KvStore.keyProblem("a".repeat(256))).isNull();
    assertThat(KvStore.keyProblem("é".repeat(128))).isNull();
    assertThat(KvStore.keyProblem("😀".repeat(64))).isNull();
    assertThat(KvStore.keyProblem("")).contains("empty");
    assertThat(KvStore.keyProblem(null)).contains("empty");
    assertThat(KvStore.keyProblem("a".repeat(257))).contains("over 256 bytes");
    assertThat(KvStore.keyProblem("é".repeat(129))).contains("over 256 bytes");
    assertThat(KvStore.keyProblem("a\nb")).contains("control character");
    assertThat(KvStore.keyProblem("a\ud800b")).contains("well-formed");
    assertThat(KvStore.keyProblem("a\udc00")).contains("well-formed");
    KvStore store = store("a");
    assertThatThrownBy(() -> store.put("", bytes("v"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.merge("a".repeat(257), bytes("v"), new Version(1, "n")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.size()).isZero();
  }

  @Test
  void aValueIsAtMost16KiB() throws Exception {
    KvStore store = store("a");
    store.put("max", new byte[KvStore.MAX_VALUE_BYTES]);
    store.put("empty", new byte[0]);
    assertThatThrownBy(() -> store.put("big", new byte[KvStore.MAX_VALUE_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("over 16384 bytes");
    assertThat(store.get("big")).isEmpty();
    assertThat(store.get("max").orElseThrow().valueLength()).isEqualTo(KvStore.MAX_VALUE_BYTES);
  }

  @Test
  void aFullStoreRefusesNewKeysButStillTakesWritesOfItsKeys() throws Exception {
    KvStore store = new KvStore("a", 2, wall::get);
    store.put("one", bytes("1"));
    store.merge("two", bytes("2"), new Version(1, "b"));
    assertThatThrownBy(() -> store.put("three", bytes("3")))
        .isInstanceOf(KvStore.StoreFullException.class)
        .hasMessageContaining("full");
    assertThat(store.merge("three", bytes("3"), new Version(99, "b"))).isEqualTo(KvStore.Outcome.FULL);
    assertThat(store.get("three")).isEmpty();
    assertThat(store.size()).isEqualTo(2);
    store.put("one", bytes("1 again"));
    assertThat(store.merge("two", bytes("2 again"), new Version(100, "b"))).isEqualTo(KvStore.Outcome.APPLIED);
    assertThat(value(store, "one")).isEqualTo("1 again");
    assertThat(value(store, "two")).isEqualTo("2 again");
  }

  @Test
  void aVersionHasATimestampInRangeAndAShortPrintableNodeId() {
    assertThatThrownBy(() -> new Version(-1, "n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Version(Version.MAX_TIMESTAMP + 1, "n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Version(1, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Version(1, "has space")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Version(1, "n".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    assertThat(new Version(2, "a").newerThan(new Version(1, "z"))).isTrue();
    assertThat(new Version(1, "b").newerThan(new Version(1, "a"))).isTrue();
    assertThat(new Version(1, "a").toJson()).isEqualTo("{\"ts\":1,\"node\":\"a\"}");
  }

  @Test
  void valuesAreCopiedInAndOutSoCallersCannotChangeTheStore() throws Exception {
    KvStore store = store("a");
    byte[] v = bytes("abc");
    store.put("k", v);
    v[0] = 'X';
    store.get("k").orElseThrow().value()[1] = 'Y';
    assertThat(value(store, "k")).isEqualTo("abc");
  }
}
