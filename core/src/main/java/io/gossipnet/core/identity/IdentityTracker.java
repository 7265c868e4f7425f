package io.gossipnet.core.identity;

/**
 * Keeps at most one connection per remote identity (seed: {@code identityTracker}). A transport
 * calls {@link #setIdentity} once a peer's public key is verified and closes the connection as a
 * duplicate if that fails; it calls {@link #removeIdentity} when the connection closes.
 *
 * <p>Peers are compared by reference ({@code ==}), as the seed compares {@code *wsPeer} pointers:
 * the tracker holds connection objects, not values. Implementations are thread-safe.
 */
public interface IdentityTracker {
  /**
   * Claims {@code publicKey} for {@code peer}.
   *
   * @param publicKey the peer's verified public key (not retained; a copy is kept)
   * @param peer the connection that proved it
   * @return true if the key was unclaimed or is already held by {@code peer}; false if another
   *     peer holds it, meaning {@code peer} is a duplicate connection
   */
  boolean setIdentity(byte[] publicKey, Object peer);

  /** Releases every key {@code peer} holds; keys held by other peers are left alone. */
  void removeIdentity(Object peer);

  /**
   * The peer holding {@code publicKey}, or null (always null for a tracker that records nothing).
   * The engines of a hybrid node use it to find a duplicate held by the other network.
   */
  default Object holder(byte[] publicKey) {
    return null;
  }

  /** A new, empty thread-safe tracker keyed by public key (seed: {@code publicKeyIdentTracker}). */
  static IdentityTracker create() {
    return new PublicKeyIdentityTracker();
  }

  /**
   * A tracker that records nothing and always accepts (seed: {@code noopIdentityTracker}), for pure
   * P2P where libp2p peer IDs already deduplicate connections.
   */
  static IdentityTracker noop() {
    return NoopIdentityTracker.INSTANCE;
  }
}
