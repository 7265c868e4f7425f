package io.gossipnet.core.identity;

/**
 * What a handshake established about the remote node's identity (the first two messages of the
 * identity challenge); the third message travels over gossip as tag {@code NI}.
 */
public sealed interface HandshakeIdentity {
  /** No identity exchange took place (absent header, no dedup names, or disabled). */
  HandshakeIdentity NONE = new None();

  /** No identity exchange took place. */
  record None() implements HandshakeIdentity {}

  /**
   * Dialing side: the server's signed response checked out. The peer's identity is verified; this
   * side must send the verification message that signs {@code responseChallenge}.
   *
   * @param peerPublicKey the server's Ed25519 public key (32 bytes)
   * @param responseChallenge the server's 32-byte challenge, to be signed back
   */
  record Verified(byte[] peerPublicKey, byte[] responseChallenge) implements HandshakeIdentity {}

  /**
   * Accepting side: the client claimed {@code peerPublicKey}; it is verified only once its {@code
   * NI} message signs {@code responseChallenge}.
   *
   * @param peerPublicKey the client's Ed25519 public key (32 bytes)
   * @param responseChallenge the 32 bytes this side sent and expects signed
   */
  record Pending(byte[] peerPublicKey, byte[] responseChallenge) implements HandshakeIdentity {}

  /**
   * The transport itself authenticated the peer's key (a libp2p peer ID holds the Ed25519 key that
   * the Noise handshake proved). The engine claims it in the {@link IdentityTracker} at once; no
   * {@code NI} message is sent or expected.
   *
   * @param peerPublicKey the peer's Ed25519 public key (32 bytes)
   */
  record TransportAuthenticated(byte[] peerPublicKey) implements HandshakeIdentity {}
}
