package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.crypto.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * k-buckets by common prefix length with our own key. A full bucket admits a new peer only when
 * its least recently seen member fails the liveness check (then that member is evicted).
 * Thread-safe (one monitor; the liveness check runs outside it).
 */
final class RoutingTable {
  private final KadKey self;
  private final int k;
  /** Per bucket: peers in least- to most-recently-seen order. */
  private final List<LinkedHashMap<PeerId, KadPeer>> buckets = new ArrayList<>();

  RoutingTable(PeerId self, int k) {
    this.self = KadKey.of(self.toBytes());
    this.k = k;
    for (int i = 0; i <= 256; i++) {
      buckets.add(new LinkedHashMap<>());
    }
  }

  private LinkedHashMap<PeerId, KadPeer> bucketOf(PeerId id) {
    return buckets.get(self.commonPrefixLength(KadKey.of(id.toBytes())));
  }

  /**
   * Adds or refreshes {@code peer}. When its bucket is full, {@code isAlive} is asked about the
   * least recently seen member: if it is dead it is replaced, otherwise {@code peer} is not added.
   */
  boolean add(KadPeer peer, Predicate<KadPeer> isAlive) {
    KadPeer oldest;
    LinkedHashMap<PeerId, KadPeer> b = bucketOf(peer.id());
    synchronized (this) {
      if (b.remove(peer.id()) != null || b.size() < k) {
        b.put(peer.id(), peer);
        return true;
      }
      oldest = b.values().iterator().next();
    }
    boolean alive = isAlive.test(oldest);
    synchronized (this) {
      if (alive) {
        // seen just now: move it to the most recent end
        if (b.remove(oldest.id()) != null) {
          b.put(oldest.id(), oldest);
        }
        return false;
      }
      b.remove(oldest.id());
      if (b.size() < k) {
        b.put(peer.id(), peer);
        return true;
      }
      return false;
    }
  }

  synchronized void remove(PeerId id) {
    bucketOf(id).remove(id);
  }

  synchronized KadPeer get(PeerId id) {
    return bucketOf(id).get(id);
  }

  synchronized int size() {
    return buckets.stream().mapToInt(Map::size).sum();
  }

  /** The {@code n} peers closest to {@code target}. */
  synchronized List<KadPeer> closest(KadKey target, int n) {
    List<KadPeer> all = new ArrayList<>();
    buckets.forEach(b -> all.addAll(b.values()));
    all.sort(Comparator.comparing((KadPeer p) -> KadKey.of(p.id().toBytes()), target::compareDistance));
    return all.subList(0, Math.min(n, all.size()));
  }
}
