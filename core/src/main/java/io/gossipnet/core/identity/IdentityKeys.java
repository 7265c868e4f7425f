package io.gossipnet.core.identity;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair used to sign identity-challenge messages, with the 32-byte raw public key
 * encoding the wire format uses (seed: {@code identityChallengeSigner}).
 *
 * <p>Signing and verification use BouncyCastle's RFC 8032 implementation rather than the JDK's
 * {@code Ed25519} provider: the signatures are identical (RFC 8032 is deterministic; {@code
 * IdentityKeysTest} checks the two agree), but the JDK took about 650 µs per signature and 615 µs
 * per verification on the project VM against about 90 µs here, and every connection's identity
 * challenge costs each side one of each. Instances are immutable and thread-safe.
 */
public final class IdentityKeys implements IdentitySigner {
  /** Length of a raw Ed25519 public key. */
  public static final int PUBLIC_KEY_LENGTH = 32;

  /** Length of an Ed25519 private key seed. */
  public static final int SEED_LENGTH = 32;

  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = 64;

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw bytes. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  static {
    Ed25519.precompute();
  }

  private final byte[] seed;
  private final byte[] publicKey;

  private IdentityKeys(byte[] seed) {
    this.seed = seed.clone();
    this.publicKey = new byte[PUBLIC_KEY_LENGTH];
    Ed25519.generatePublicKey(this.seed, 0, this.publicKey, 0);
  }

  /** Generates a fresh random key pair (the seed's per-process legacy signer). */
  public static IdentityKeys generate() {
    byte[] seed = new byte[SEED_LENGTH];
    new SecureRandom().nextBytes(seed);
    return new IdentityKeys(seed);
  }

  /**
   * Rebuilds the key pair from its 32-byte private seed (RFC 8032 private key).
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static IdentityKeys fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    return new IdentityKeys(seed);
  }

  /**
   * Wraps an existing JDK Ed25519 key pair (for example a libp2p host key in hybrid mode).
   *
   * @throws IllegalArgumentException if it is not an Ed25519 key pair whose halves belong together
   */
  public static IdentityKeys fromKeyPair(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    Objects.requireNonNull(keyPair.getPrivate(), "private key");
    Objects.requireNonNull(keyPair.getPublic(), "public key");
    if (!(keyPair.getPrivate() instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()
        || edec.getBytes().get().length != SEED_LENGTH) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + keyPair.getPrivate().getAlgorithm());
    }
    IdentityKeys keys = new IdentityKeys(edec.getBytes().get());
    if (!Arrays.equals(keys.publicKey, rawPublicKey(keyPair.getPublic()))) {
      throw new IllegalArgumentException("private and public key do not match");
    }
    return keys;
  }

  /** This key pair's raw 32-byte public key (a copy). */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Signs {@code message} and returns the 64-byte Ed25519 signature. */
  @Override
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    byte[] signature = new byte[SIGNATURE_LENGTH];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /**
   * Checks an Ed25519 signature. Never throws for bad input: a public key that is not 32 bytes or
   * not a valid curve point, a signature that is not 64 bytes, or a small-order public key or
   * signature point (rejected as libsodium does) all yield {@code false}.
   *
   * @param publicKey raw 32-byte public key
   * @param message the signed bytes
   * @param signature 64-byte signature
   * @return whether the signature is valid
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null
        || message == null
        || signature == null
        || publicKey.length != PUBLIC_KEY_LENGTH
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    if (SmallOrder.isSmallOrder(publicKey, 0) || SmallOrder.isSmallOrder(signature, 0)) {
      return false;
    }
    try {
      return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "IdentityKeys[publicKey=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
  }

  private static byte[] rawPublicKey(java.security.PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null
        || encoded.length != X509_PREFIX.length + PUBLIC_KEY_LENGTH
        || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
  }
}
