package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.crypto.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Provider records per key (multihash bytes) with expiry. Thread-safe. */
final class ProviderStore {
  private record Entry(KadPeer provider, long expiresNanos) {}

  private final Map<KadKey, LinkedHashMap<PeerId, Entry>> records = new HashMap<>();
  private final long ttlNanos;
  private final int maxPerKey;

  ProviderStore(long ttlNanos, int maxPerKey) {
    this.ttlNanos = ttlNanos;
    this.maxPerKey = maxPerKey;
  }

  synchronized void add(byte[] key, KadPeer provider) {
    LinkedHashMap<PeerId, Entry> m = records.computeIfAbsent(KadKey.of(key), k -> new LinkedHashMap<>());
    m.remove(provider.id());
    if (m.size() >= maxPerKey) {
      m.remove(m.keySet().iterator().next()); // the oldest record makes room
    }
    m.put(provider.id(), new Entry(provider, System.nanoTime() + ttlNanos));
  }

  synchronized List<KadPeer> get(byte[] key) {
    LinkedHashMap<PeerId, Entry> m = records.get(KadKey.of(key));
    if (m == null) {
      return List.of();
    }
    long now = System.nanoTime();
    m.values().removeIf(e -> e.expiresNanos() - now < 0);
    List<KadPeer> out = new ArrayList<>();
    m.values().forEach(e -> out.add(e.provider()));
    return out;
  }

  synchronized void expire() {
    long now = System.nanoTime();
    records.values().forEach(m -> m.values().removeIf(e -> e.expiresNanos() - now < 0));
    records.values().removeIf(Map::isEmpty);
  }

  synchronized int size() {
    return records.values().stream().mapToInt(Map::size).sum();
  }
}
