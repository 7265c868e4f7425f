package io.gossipnet.core.identity;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The default {@link IdentityTracker} (seed: {@code publicKeyIdentTracker}): a map from public key
 * to the peer holding it, guarded by one lock. Peers are compared by reference. A peer normally
 * holds one key; if it claims several, {@link #removeIdentity} releases them all.
 */
public final class PublicKeyIdentityTracker implements IdentityTracker {
  private final Object lock = new Object();
  private final Map<Key, Object> peersByKey = new HashMap<>();
  private final Map<Object, Set<Key>> keysByPeer = new IdentityHashMap<>();

  /** Creates an empty tracker. */
  public PublicKeyIdentityTracker() {}

  @Override
  public boolean setIdentity(byte[] publicKey, Object peer) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(peer, "peer");
    Key key = new Key(publicKey.clone());
    synchronized (lock) {
      Object holder = peersByKey.putIfAbsent(key, peer);
      if (holder == null) {
        keysByPeer.computeIfAbsent(peer, p -> new HashSet<>(2)).add(key);
        return true;
      }
      return holder == peer;
    }
  }

  @Override
  public void removeIdentity(Object peer) {
    if (peer == null) {
      return;
    }
    synchronized (lock) {
      Set<Key> keys = keysByPeer.remove(peer);
      if (keys != null) {
        for (Key key : keys) {
          if (peersByKey.get(key) == peer) {
            peersByKey.remove(key);
          }
        }
      }
    }
  }

  /** Number of keys currently held. */
  public int size() {
    synchronized (lock) {
      return peersByKey.size();
    }
  }

  /** The peer holding {@code publicKey}, or null. */
  @Override
  public Object holder(byte[] publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    synchronized (lock) {
      return peersByKey.get(new Key(publicKey));
    }
  }

  @Override
  public String toString() {
    return "PublicKeyIdentityTracker[size=" + size() + "]";
  }

  /** A byte-array map key compared by content. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return java.util.HexFormat.of().formatHex(bytes);
    }
  }
}
