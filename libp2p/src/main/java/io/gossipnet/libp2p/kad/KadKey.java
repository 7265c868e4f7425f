package io.gossipnet.libp2p.kad;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** A point in the Kademlia key space: SHA-256 of a peer ID or content key; distance is XOR. */
record KadKey(byte[] hash) {
  static KadKey of(byte[] key) {
    try {
      return new KadKey(MessageDigest.getInstance("SHA-256").digest(key));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares the distances of {@code a} and {@code b} to this key. */
  int compareDistance(KadKey a, KadKey b) {
    for (int i = 0; i < hash.length; i++) {
      int da = (a.hash[i] ^ hash[i]) & 0xFF;
      int db = (b.hash[i] ^ hash[i]) & 0xFF;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  /** Number of leading bits shared with {@code other} (256 when equal). */
  int commonPrefixLength(KadKey other) {
    for (int i = 0; i < hash.length; i++) {
      int x = (hash[i] ^ other.hash[i]) & 0xFF;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return hash.length * 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadKey k && Arrays.equals(hash, k.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }
}
