package io.gossipnet.core.phonebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PhonebookTest {
  private final FakeClock clock = new FakeClock();

  private Phonebook phonebook(int count, Duration window) {
    return new Phonebook(count, window, clock);
  }

  private Phonebook phonebook() {
    return phonebook(1, Duration.ofSeconds(1));
  }

  private static Set<String> all(Phonebook pb, Role role) {
    return Set.copyOf(pb.getAddresses(Integer.MAX_VALUE, role));
  }

  @Test
  void addsNewAddressesAsNonPersistentEntriesOfTheNetwork() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a", "b"), "net", Role.RELAY);

    assertThat(all(pb, Role.RELAY)).containsExactlyInAnyOrder("a", "b");
    assertThat(pb.isPersistent("a", Role.RELAY)).isFalse();
    assertThat(pb.networks("a")).containsExactly("net");
    assertThat(pb.roles("a")).containsExactly(Role.RELAY);
  }

  @Test
  void removesDynamicEntriesOfTheRoleThatAreNoLongerListed() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a", "b"), "net", Role.RELAY);
    pb.replacePeerList(List.of("b", "c"), "net", Role.RELAY);

    assertThat(all(pb, Role.RELAY)).containsExactlyInAnyOrder("b", "c");
    assertThat(pb.contains("a")).isFalse();
    assertThat(pb.size()).isEqualTo(2);
  }

  @Test
  void keepsPersistentEntriesThatAreNotListed() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("p"), "net", Role.RELAY);
    pb.replacePeerList(List.of("a"), "net", Role.RELAY);
    pb.replacePeerList(List.of(), "net", Role.RELAY);

    assertThat(all(pb, Role.RELAY)).containsExactly("p");
    assertThat(pb.isPersistent("p", Role.RELAY)).isTrue();
  }

  @Test
  void leavesEntriesOfOtherNetworksAlone() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a"), "one", Role.RELAY);
    pb.replacePeerList(List.of("b"), "two", Role.RELAY);
    pb.replacePeerList(List.of(), "one", Role.RELAY);

    assertThat(all(pb, Role.RELAY)).containsExactly("b");
  }

  @Test
  void anEntryInTwoNetworksOnlyLeavesTheReplacedNetwork() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a"), "one", Role.RELAY);
    pb.replacePeerList(List.of("a"), "two", Role.RELAY);
    pb.replacePeerList(List.of(), "one", Role.RELAY);

    assertThat(pb.contains("a")).isTrue();
    assertThat(pb.networks("a")).containsExactly("two");
    pb.replacePeerList(List.of(), "two", Role.RELAY);
    assertThat(pb.contains("a")).isFalse();
  }

  @Test
  void leavesEntriesOfOtherRolesAlone() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a"), "net", Role.RELAY);
    pb.replacePeerList(List.of("c"), "net", Role.ARCHIVAL);

    assertThat(all(pb, Role.RELAY)).containsExactly("a");
    assertThat(all(pb, Role.ARCHIVAL)).containsExactly("c");
  }

  @Test
  void mergesTheRoleIntoAnExistingEntry() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a", "b"), "net", Role.RELAY);
    pb.replacePeerList(List.of("b", "c"), "net", Role.ARCHIVAL);

    assertThat(pb.roles("b")).containsExactlyInAnyOrder(Role.RELAY, Role.ARCHIVAL);
    assertThat(all(pb, Role.RELAY)).containsExactlyInAnyOrder("a", "b");
    assertThat(all(pb, Role.ARCHIVAL)).containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void stripsTheRoleFromAMultiRoleEntryThatIsNoLongerListed() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a", "b"), "net", Role.RELAY);
    pb.replacePeerList(List.of("b", "c"), "net", Role.ARCHIVAL);

    // refreshing relays keeps b's archival role
    pb.replacePeerList(List.of("a", "b"), "net", Role.RELAY);
    assertThat(all(pb, Role.ARCHIVAL)).containsExactlyInAnyOrder("b", "c");

    // b leaves the archival list: it stays, as a relay only
    pb.replacePeerList(List.of("c"), "net", Role.ARCHIVAL);
    assertThat(pb.roles("b")).containsExactly(Role.RELAY);
    assertThat(all(pb, Role.RELAY)).containsExactlyInAnyOrder("a", "b");
    assertThat(all(pb, Role.ARCHIVAL)).containsExactly("c");
  }

  @Test
  void aRolePersistentForAnotherRoleCanStillBeStripped() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("a"), "net", Role.ARCHIVAL);
    pb.replacePeerList(List.of("a"), "net", Role.RELAY);
    assertThat(pb.roles("a")).containsExactlyInAnyOrder(Role.RELAY, Role.ARCHIVAL);

    pb.replacePeerList(List.of(), "net", Role.RELAY);
    assertThat(pb.roles("a")).containsExactly(Role.ARCHIVAL);
    assertThat(pb.isPersistent("a", Role.ARCHIVAL)).isTrue();
  }

  @Test
  void aRolePersistentForThisRoleIsNotStrippedFromAMultiRoleEntry() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    pb.replacePeerList(List.of("a"), "net", Role.ARCHIVAL);
    pb.replacePeerList(List.of(), "net", Role.RELAY);

    assertThat(pb.roles("a")).containsExactlyInAnyOrder(Role.RELAY, Role.ARCHIVAL);
    // archival is dynamic: it is stripped, the persistent relay role stays
    pb.replacePeerList(List.of(), "net", Role.ARCHIVAL);
    assertThat(pb.roles("a")).containsExactly(Role.RELAY);
  }

  @Test
  void listingAPersistentEntryDoesNotMakeItDynamic() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("p"), "net", Role.RELAY);
    pb.replacePeerList(List.of("p"), "net", Role.RELAY);
    pb.replacePeerList(List.of(), "net", Role.RELAY);

    assertThat(pb.contains("p")).isTrue();
    assertThat(pb.isPersistent("p", Role.RELAY)).isTrue();
  }

  @Test
  void keepsPersistentPeersOfTwoNetworksAcrossBothReplacements() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("p"), "one", Role.RELAY);
    pb.addPersistentPeers(List.of("p"), "two", Role.RELAY);
    pb.replacePeerList(List.of("b", "c"), "one", Role.RELAY);
    pb.replacePeerList(List.of("d", "e"), "two", Role.RELAY);

    assertThat(all(pb, Role.RELAY)).containsExactlyInAnyOrder("p", "b", "c", "d", "e");
  }

  @Test
  void addsPersistentEntriesWithTheRole() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("a", "b"), "net", Role.RELAY);

    assertThat(all(pb, Role.RELAY)).containsExactlyInAnyOrder("a", "b");
    assertThat(pb.isPersistent("a", Role.RELAY)).isTrue();
    assertThat(pb.isPersistent("a", Role.ARCHIVAL)).isFalse();
  }

  @Test
  void addsTheRoleAndItsPersistenceToAnExistingEntry() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    pb.addPersistentPeers(List.of("a"), "net", Role.ARCHIVAL);

    assertThat(all(pb, Role.RELAY)).containsExactly("a");
    assertThat(all(pb, Role.ARCHIVAL)).containsExactly("a");
    assertThat(pb.isPersistent("a", Role.ARCHIVAL)).isTrue();
  }

  @Test
  void makesADynamicEntryPersistentForTheRole() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a"), "net", Role.RELAY);
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    pb.replacePeerList(List.of(), "net", Role.RELAY);

    assertThat(pb.contains("a")).isTrue();
  }

  @Test
  void returnsOnlyEntriesWithTheRole() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a", "b"), "net", Role.RELAY);
    pb.replacePeerList(List.of("c"), "net", Role.ARCHIVAL);

    assertThat(pb.getAddresses(10, Role.RELAY)).containsExactlyInAnyOrder("a", "b");
    assertThat(pb.getAddresses(10, Role.ARCHIVAL)).containsExactly("c");
  }

  @Test
  void skipsEntriesUntilTheirRetryAfterHasPassed() {
    Phonebook pb = phonebook();
    pb.replacePeerList(List.of("a", "b"), "net", Role.RELAY);
    pb.updateRetryAfter("a", Duration.ofSeconds(5));

    assertThat(pb.getAddresses(10, Role.RELAY)).containsExactly("b");
    clock.advance(Duration.ofSeconds(5));
    assertThat(pb.getAddresses(10, Role.RELAY)).containsExactly("b");
    clock.advance(Duration.ofNanos(1));
    assertThat(pb.getAddresses(10, Role.RELAY)).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void retryAfterOfAnUnknownAddressIsIgnored() {
    Phonebook pb = phonebook();
    pb.updateRetryAfter("nobody", Duration.ofSeconds(5));
    assertThat(pb.contains("nobody")).isFalse();
  }

  @Test
  void samplesUpToNWithoutDuplicates() {
    Phonebook pb = phonebook();
    List<String> addrs = IntStream.range(0, 20).mapToObj(i -> "h" + i + ":1").toList();
    pb.replacePeerList(addrs, "net", Role.RELAY);

    Set<String> seen = new HashSet<>();
    for (int round = 0; round < 200; round++) {
      List<String> sample = pb.getAddresses(5, Role.RELAY);
      assertThat(sample).hasSize(5).doesNotHaveDuplicates();
      assertThat(addrs).containsAll(sample);
      seen.addAll(sample);
    }
    assertThat(seen).as("sampling reaches every address").hasSize(20);
    assertThat(pb.getAddresses(50, Role.RELAY))
        .hasSize(20)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(addrs);
    assertThat(pb.getAddresses(0, Role.RELAY)).isEmpty();
  }

  @Test
  void waitTimeIsZeroUntilTheWindowIsFull() {
    Phonebook pb = phonebook(3, Duration.ofSeconds(1));
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);

    for (int i = 0; i < 3; i++) {
      ConnectionWait w = pb.getConnectionWaitTime("a");
      assertThat(w.waitTime()).isZero();
      assertThat(w.provisionalTime()).isEqualTo(clock.getAsLong());
      clock.advance(Duration.ofMillis(100));
    }
    // full: the oldest (at t=0) leaves the window at t=1000 ms, now is t=300 ms
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void provisionalTimesCountAgainstTheLimit() {
    Phonebook pb = phonebook(1, Duration.ofSeconds(1));
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);

    assertThat(pb.getConnectionWaitTime("a").mustWait()).isFalse();
    // not yet confirmed, but the slot is taken
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void timesLeaveTheWindowAfterTheWindowHasPassed() {
    Phonebook pb = phonebook(2, Duration.ofSeconds(1));
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    pb.getConnectionWaitTime("a");
    clock.advance(Duration.ofMillis(400));
    pb.getConnectionWaitTime("a");

    clock.advance(Duration.ofMillis(599));
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofMillis(1));
    clock.advance(Duration.ofMillis(1));
    // the first time is now exactly one window old: dropped, a slot is free
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isZero();
    // full again; the oldest kept is the one at 400 ms, now is 1000 ms
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void updateConnectionTimeReplacesTheProvisionalTimeWithNow() {
    Phonebook pb = phonebook(1, Duration.ofSeconds(1));
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    ConnectionWait w = pb.getConnectionWaitTime("a");

    clock.advance(Duration.ofMillis(300)); // the connection took 300 ms
    assertThat(pb.updateConnectionTime("a", w.provisionalTime())).isTrue();

    // the window now runs from the confirmed time, not the provisional one
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofMillis(999));
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void updateConnectionTimeAppendsWhenTheProvisionalTimeHasExpired() {
    Phonebook pb = phonebook(2, Duration.ofSeconds(1));
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    ConnectionWait w = pb.getConnectionWaitTime("a");

    clock.advance(Duration.ofSeconds(2)); // a very slow connection
    pb.getConnectionWaitTime("a"); // drops the expired provisional time, takes a new slot
    pb.updateConnectionTime("a", w.provisionalTime());

    // two times in the window: the new provisional one and the appended confirmation
    assertThat(pb.getConnectionWaitTime("a").waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void unknownAddressesAreUnlimited() {
    Phonebook pb = phonebook(1, Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      ConnectionWait w = pb.getConnectionWaitTime("stranger:1");
      assertThat(w.waitTime()).isZero();
      assertThat(pb.updateConnectionTime("stranger:1", w.provisionalTime())).isFalse();
    }
    assertThat(pb.contains("stranger:1")).isFalse();
  }

  @Test
  void aLimitOfZeroIsUnlimited() {
    Phonebook pb = phonebook(0, Duration.ofSeconds(1));
    pb.addPersistentPeers(List.of("a"), "net", Role.RELAY);
    for (int i = 0; i < 100; i++) {
      ConnectionWait w = pb.getConnectionWaitTime("a");
      assertThat(w.waitTime()).isZero();
      assertThat(pb.updateConnectionTime("a", w.provisionalTime())).isTrue();
    }
  }

  @Test
  void concurrentCallersNeverExceedTheLimit() throws Exception {
    Phonebook pb = new Phonebook(5, Duration.ofHours(1), System::nanoTime);
    List<String> addrs = List.of("a", "b", "c");
    pb.replacePeerList(addrs, "net", Role.RELAY);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> granted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        granted.add(
            pool.submit(
                () -> {
                  start.await();
                  int n = 0;
                  for (int i = 0; i < 200; i++) {
                    String addr = addrs.get(i % addrs.size());
                    ConnectionWait w = pb.getConnectionWaitTime(addr);
                    if (!w.mustWait()) {
                      n++;
                      pb.updateConnectionTime(addr, w.provisionalTime());
                    }
                    pb.getAddresses(2, Role.RELAY);
                    if (i % 50 == 0) {
                      pb.replacePeerList(addrs, "net", Role.RELAY);
                      pb.updateRetryAfter(addr, Duration.ZERO);
                    }
                  }
                  return n;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : granted) {
        total += f.get();
      }
      assertThat(total).isEqualTo(5 * addrs.size());
    }
    assertThat(pb.size()).isEqualTo(3);
  }

  @Test
  void findReturnsTheEntryThatNamesTheSameNodeOrNothing() {
    Phonebook pb = phonebook();
    pb.addPersistentPeers(List.of("/ip4/10.0.0.1/tcp/4190/p2p/QmA", "/ip4/10.0.0.2/tcp/4190/p2p/QmB"), "net", Role.RELAY);
    assertThat(pb.find(a -> a.endsWith("/p2p/QmB"))).contains("/ip4/10.0.0.2/tcp/4190/p2p/QmB");
    assertThat(pb.find(a -> a.endsWith("/p2p/QmC"))).isEmpty();
  }
}
