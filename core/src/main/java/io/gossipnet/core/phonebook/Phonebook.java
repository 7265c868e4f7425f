package io.gossipnet.core.phonebook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The addresses a node may dial, with their roles, the networks they were learnt for, a
 * retry-after time and the recent connection times used for per-address rate limiting. A port of
 * the seed's {@code phonebook.phonebookImpl}. Thread-safe.
 *
 * <p>Entries are persistent (configured relays, {@link #addPersistentPeers}) or dynamic (DNS,
 * {@link #replacePeerList}). Persistence is per role: an entry persistent for {@link Role#ARCHIVAL}
 * may still lose a dynamically learnt {@link Role#RELAY} role.
 *
 * <p>Rate limiting: at most {@code connectionsRateLimitingCount} connections per address within a
 * sliding {@code window}. Callers ask {@link #getConnectionWaitTime(String)} before connecting
 * (which reserves a provisional slot when the answer is "now") and report the attempt with {@link
 * #updateConnectionTime(String, long)}. Addresses not in the phonebook are unlimited, and a count
 * of 0 disables the limit.
 *
 * <p>All times come from an injected nanosecond clock (like {@link System#nanoTime()}).
 */
public final class Phonebook {
  private final int connectionsRateLimitingCount;
  private final long windowNanos;
  private final LongSupplier clock;
  private final RandomGenerator random;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> data = new HashMap<>();

  /**
   * Creates an empty phonebook.
   *
   * @param connectionsRateLimitingCount the most connections per address in one window; 0 means
   *     unlimited
   * @param window the sliding rate-limit window
   * @param nanoClock the clock, in nanoseconds (only differences matter)
   */
  public Phonebook(int connectionsRateLimitingCount, Duration window, LongSupplier nanoClock) {
    this(connectionsRateLimitingCount, window, nanoClock, RandomGenerator.getDefault());
  }

  /**
   * Creates an empty phonebook with a given random source for {@link #getAddresses}.
   *
   * @param connectionsRateLimitingCount the most connections per address in one window; 0 means
   *     unlimited
   * @param window the sliding rate-limit window
   * @param nanoClock the clock, in nanoseconds (only differences matter)
   * @param random the random source used to sample addresses
   */
  public Phonebook(
      int connectionsRateLimitingCount,
      Duration window,
      LongSupplier nanoClock,
      RandomGenerator random) {
    if (connectionsRateLimitingCount < 0) {
      throw new IllegalArgumentException(
          "connectionsRateLimitingCount must be >= 0, got " + connectionsRateLimitingCount);
    }
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException("window must not be negative, got " + window);
    }
    this.connectionsRateLimitingCount = connectionsRateLimitingCount;
    this.windowNanos = window.toNanos();
    this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The phonebook's clock reading, in nanoseconds. */
  public long nanoTime() {
    return clock.getAsLong();
  }

  /**
   * Adds addresses as persistent for {@code role}: {@link #replacePeerList} never removes that
   * role from them. New addresses join {@code networkName}; an address already present gets the
   * role and its persistence added (as in the seed, its networks are left as they are).
   */
  public void addPersistentPeers(Collection<String> addrs, String networkName, Role role) {
    Objects.requireNonNull(networkName, "networkName");
    Objects.requireNonNull(role, "role");
    lock.lock();
    try {
      for (String addr : addrs) {
        Entry e = data.get(addr);
        if (e != null) {
          e.roles |= role.bit();
          e.persistence |= role.bit();
        } else {
          data.put(addr, new Entry(networkName, role.bit(), true));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces the dynamic addresses of {@code role} in {@code networkName} by {@code addrs}:
   *
   * <ul>
   *   <li>entries of that network that are not persistent for the role and have only this role
   *       leave the network (and the phonebook, when it was their last network), unless listed;
   *   <li>entries of that network that are not persistent for the role and have other roles too
   *       lose this role (listed ones get it back below);
   *   <li>listed addresses already present join the network and get the role;
   *   <li>listed addresses not present are added as non-persistent entries.
   * </ul>
   */
  public void replacePeerList(Collection<String> addrs, String networkName, Role role) {
    Objects.requireNonNull(networkName, "networkName");
    Objects.requireNonNull(role, "role");
    int bit = role.bit();
    lock.lock();
    try {
      Set<String> toRemove = new HashSet<>();
      for (Map.Entry<String, Entry> me : data.entrySet()) {
        Entry e = me.getValue();
        if (e.networks.contains(networkName) && (e.persistence & bit) == 0) {
          if (e.roles == bit) {
            toRemove.add(me.getKey());
          } else if ((e.roles & bit) != 0) {
            e.roles &= ~bit;
          }
        }
      }
      for (String addr : addrs) {
        Entry e = data.get(addr);
        if (e != null) {
          e.networks.add(networkName);
          e.roles |= bit;
          toRemove.remove(addr);
        } else {
          data.put(addr, new Entry(networkName, bit, false));
        }
      }
      for (String addr : toRemove) {
        Entry e = data.get(addr);
        e.networks.remove(networkName);
        if (e.networks.isEmpty()) {
          data.remove(addr);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Up to {@code n} distinct addresses, in random order, among the entries that have {@code role}
   * and whose retry-after time has passed.
   */
  public List<String> getAddresses(int n, Role role) {
    Objects.requireNonNull(role, "role");
    if (n <= 0) {
      return List.of();
    }
    List<String> eligible = new ArrayList<>();
    lock.lock();
    try {
      long now = clock.getAsLong();
      for (Map.Entry<String, Entry> me : data.entrySet()) {
        Entry e = me.getValue();
        if ((e.roles & role.bit()) != 0 && e.retryAfterPassed(now)) {
          eligible.add(me.getKey());
        }
      }
    } finally {
      lock.unlock();
    }
    // Partial Fisher-Yates: the first min(n, size) slots become a uniform sample.
    int k = Math.min(n, eligible.size());
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(eligible.size() - i);
      String t = eligible.get(i);
      eligible.set(i, eligible.get(j));
      eligible.set(j, t);
    }
    return List.copyOf(eligible.subList(0, k));
  }

  /**
   * Makes {@code addr} ineligible for {@link #getAddresses} until {@code wait} from now (for
   * example a 429 {@code Retry-After}). Does nothing for an address not in the phonebook.
   */
  public void updateRetryAfter(String addr, Duration wait) {
    Objects.requireNonNull(wait, "wait");
    lock.lock();
    try {
      Entry e = data.get(addr);
      if (e != null) {
        e.retryAfter = clock.getAsLong() + wait.toNanos();
        e.hasRetryAfter = true;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long to wait before connecting to {@code addr}, under the per-address rate limit. Drops
   * connection times older than the window; if as many as the limit remain, the wait is the time
   * until the oldest of them leaves the window. Otherwise the wait is zero and a provisional
   * connection time (now) is recorded and returned, to be confirmed with {@link
   * #updateConnectionTime(String, long)}. Addresses not in the phonebook, and a limit of 0, never
   * wait (and record nothing).
   */
  public ConnectionWait getConnectionWaitTime(String addr) {
    lock.lock();
    try {
      long now = clock.getAsLong();
      Entry e = data.get(addr);
      if (e == null || connectionsRateLimitingCount == 0) {
        return new ConnectionWait(Duration.ZERO, now);
      }
      List<Long> times = e.recentConnectionTimes;
      int expired = 0;
      long ageOfOldestKept = 0;
      while (expired < times.size()) {
        long age = now - times.get(expired);
        if (age >= windowNanos) {
          expired++;
        } else {
          ageOfOldestKept = age;
          break;
        }
      }
      times.subList(0, expired).clear();
      if (times.size() >= connectionsRateLimitingCount) {
        return new ConnectionWait(Duration.ofNanos(windowNanos - ageOfOldestKept), now);
      }
      times.add(now);
      return new ConnectionWait(Duration.ZERO, now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Confirms a connection attempt: replaces {@code provisionalTime} (from {@link
   * #getConnectionWaitTime(String)}) by now, or records now if the provisional time has already
   * left the window.
   *
   * @return whether {@code addr} is in the phonebook
   */
  public boolean updateConnectionTime(String addr, long provisionalTime) {
    lock.lock();
    try {
      Entry e = data.get(addr);
      if (e == null) {
        return false;
      }
      if (connectionsRateLimitingCount == 0) {
        return true;
      }
      long now = clock.getAsLong();
      List<Long> times = e.recentConnectionTimes;
      int i = times.indexOf(provisionalTime);
      if (i >= 0) {
        times.set(i, now);
      } else {
        times.add(now);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code addr} is in the phonebook. */
  public boolean contains(String addr) {
    lock.lock();
    try {
      return data.containsKey(addr);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The first address in the phonebook for which {@code sameNode} holds, if any: how a transport
   * whose addresses name a node in several forms (a P2P multiaddr with the peer ID) finds the
   * entry of that node.
   */
  public java.util.Optional<String> find(java.util.function.Predicate<String> sameNode) {
    lock.lock();
    try {
      for (String addr : data.keySet()) {
        if (sameNode.test(addr)) {
          return java.util.Optional.of(addr);
        }
      }
      return java.util.Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** The roles of {@code addr}; empty if it is not in the phonebook. */
  public Set<Role> roles(String addr) {
    lock.lock();
    try {
      Entry e = data.get(addr);
      return e == null ? Set.of() : Set.copyOf(Role.fromMask(e.roles));
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code addr} is in the phonebook and persistent for {@code role}. */
  public boolean isPersistent(String addr, Role role) {
    lock.lock();
    try {
      Entry e = data.get(addr);
      return e != null && (e.persistence & role.bit()) != 0;
    } finally {
      lock.unlock();
    }
  }

  /** The networks {@code addr} was added for; empty if it is not in the phonebook. */
  public Set<String> networks(String addr) {
    lock.lock();
    try {
      Entry e = data.get(addr);
      return e == null ? Set.of() : Set.copyOf(e.networks);
    } finally {
      lock.unlock();
    }
  }

  /** The number of addresses. */
  public int size() {
    lock.lock();
    try {
      return data.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes {@code addr} whatever its roles, networks and persistence.
   *
   * @return whether it was present
   */
  public boolean remove(String addr) {
    lock.lock();
    try {
      return data.remove(addr) != null;
    } finally {
      lock.unlock();
    }
  }

  /** One address's data; guarded by the phonebook's lock. */
  private static final class Entry {
    long retryAfter;
    boolean hasRetryAfter;
    final List<Long> recentConnectionTimes = new ArrayList<>();
    final Set<String> networks = new HashSet<>();
    int roles;
    int persistence;

    Entry(String networkName, int roles, boolean persistent) {
      networks.add(networkName);
      this.roles = roles;
      this.persistence = persistent ? roles : 0;
    }

    boolean retryAfterPassed(long now) {
      return !hasRetryAfter || now - retryAfter > 0;
    }
  }
}
