package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.crypto.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records per key (multihash bytes) with expiry, at most {@code maxPerKey} per key (the
 * oldest makes room) and {@code maxTotal} in all (further announcements are refused until records
 * expire, so a flood of keys cannot exhaust memory). Thread-safe.
 */
final class ProviderStore {
  private record Entry(KadPeer provider, long expiresNanos) {}

  private final Map<KadKey, LinkedHashMap<PeerId, Entry>> records = new HashMap<>();
  private final long ttlNanos;
  private final int maxPerKey;
  private final int maxTotal;
  private int total;

  ProviderStore(long ttlNanos, int maxPerKey, int maxTotal) {
    this.ttlNanos = ttlNanos;
    this.maxPerKey = maxPerKey;
    this.maxTotal = maxTotal;
  }

  /**
   * Adds or renews a record. A new record is refused (false) when the store is full, unless
   * {@code force} (our own records).
   */
  synchronized boolean add(byte[] key, KadPeer provider, boolean force) {
    KadKey kk = KadKey.of(key);
    LinkedHashMap<PeerId, Entry> m = records.get(kk);
    boolean renewal = m != null && m.containsKey(provider.id());
    if (!renewal && !force && total >= maxTotal) {
      expire();
      if (total >= maxTotal) {
        return false;
      }
      m = records.get(kk);
    }
    if (m == null) {
      m = new LinkedHashMap<>();
      records.put(kk, m);
    }
    if (m.remove(provider.id()) != null) {
      total--;
    }
    if (m.size() >= maxPerKey) {
      m.remove(m.keySet().iterator().next()); // the oldest record makes room
      total--;
    }
    m.put(provider.id(), new Entry(provider, System.nanoTime() + ttlNanos));
    total++;
    return true;
  }

  /** The unexpired providers of {@code key}, most recently announced first. */
  synchronized List<KadPeer> get(byte[] key) {
    KadKey kk = KadKey.of(key);
    LinkedHashMap<PeerId, Entry> m = records.get(kk);
    if (m == null) {
      return List.of();
    }
    total -= removeExpired(m, System.nanoTime());
    if (m.isEmpty()) {
      records.remove(kk);
      return List.of();
    }
    List<KadPeer> out = new ArrayList<>(m.size());
    m.values().forEach(e -> out.add(e.provider()));
    return out.reversed();
  }

  synchronized void expire() {
    long now = System.nanoTime();
    for (Iterator<LinkedHashMap<PeerId, Entry>> it = records.values().iterator(); it.hasNext(); ) {
      LinkedHashMap<PeerId, Entry> m = it.next();
      total -= removeExpired(m, now);
      if (m.isEmpty()) {
        it.remove();
      }
    }
  }

  private static int removeExpired(Map<PeerId, Entry> m, long now) {
    int before = m.size();
    m.values().removeIf(e -> e.expiresNanos() - now < 0);
    return before - m.size();
  }

  synchronized int size() {
    return total;
  }
}
