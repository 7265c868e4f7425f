package io.gossipnet.libp2p.crypto;

/**
 * Ed25519 (RFC 8032, pure) signing and verification for libp2p identity keys: the Noise handshake
 * payload, signed peer records and GossipSub message signatures all go through here.
 *
 * <p>The arithmetic is BouncyCastle's RFC 8032 implementation, not the JDK's {@code
 * Signature("Ed25519")}: both produce the same deterministic signatures and accept the same ones
 * (canonical S and point encodings), but on Temurin 25 the JDK verified a 1 KiB message in about
 * 615 µs and signed in about 650 µs where this takes about 90 µs to verify (measured 2026-11-25
 * on the project VM). With two signatures per Noise handshake and one verification per received
 * GossipSub message, that difference is the handshake's latency budget and the mesh's throughput.
 * Every other primitive (X25519, ChaCha20-Poly1305, SHA-256, HMAC) stays with the JDK, whose
 * implementations are intrinsified. {@code Ed25519Test} checks the two agree on the RFC 8032
 * vectors and on random keys.
 */
public final class Ed25519 {
  /** Bytes in a signature. */
  public static final int SIGNATURE_SIZE = org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE;
  /** Bytes in a public key and in a seed (private key). */
  public static final int KEY_SIZE = 32;

  static {
    org.bouncycastle.math.ec.rfc8032.Ed25519.precompute();
  }

  private Ed25519() {}

  /** The public key of a 32-byte seed. */
  public static byte[] publicKey(byte[] seed) {
    checkLength("seed", seed, KEY_SIZE);
    byte[] pub = new byte[KEY_SIZE];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pub, 0);
    return pub;
  }

  /** Signs {@code message} with the key of {@code seed}. */
  public static byte[] sign(byte[] seed, byte[] message) {
    return sign(seed, publicKey(seed), message);
  }

  /**
   * Signs {@code message} with the key of {@code seed} whose public key the caller already holds
   * (saves deriving it again).
   */
  public static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    checkLength("seed", seed, KEY_SIZE);
    checkLength("public key", publicKey, KEY_SIZE);
    byte[] sig = new byte[SIGNATURE_SIZE];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /**
   * Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}. False,
   * never an exception, for wrong lengths, non-canonical encodings or points off the curve.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || signature == null || message == null
        || publicKey.length != KEY_SIZE || signature.length != SIGNATURE_SIZE) {
      return false;
    }
    try {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0,
          message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void checkLength(String what, byte[] b, int n) {
    if (b == null || b.length != n) {
      throw new IllegalArgumentException("Ed25519 " + what + " must be " + n + " bytes");
    }
  }
}
