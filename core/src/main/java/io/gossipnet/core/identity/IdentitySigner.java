package io.gossipnet.core.identity;

/**
 * What signs this node's identity-challenge messages (the seed's identity challenge signer): an
 * Ed25519 key pair of its own ({@link IdentityKeys}) or, in a hybrid node, the libp2p key behind
 * its peer ID, so that the WS identity and the P2P identity are the same key and the shared
 * {@link IdentityTracker} sees one node.
 */
public interface IdentitySigner {
  /** The raw 32-byte Ed25519 public key (a copy). */
  byte[] publicKey();

  /** A 64-byte Ed25519 signature of {@code message}. */
  byte[] sign(byte[] message);
}
