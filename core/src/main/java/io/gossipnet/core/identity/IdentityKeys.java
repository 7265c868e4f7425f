package io.gossipnet.core.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ed25519 key pair used to sign identity-challenge messages, with the 32-byte raw public key
 * encoding the wire format uses (seed: {@code identityChallengeSigner}).
 *
 * <p>Only the JDK's {@code Ed25519} provider is used. Raw public keys are converted to and from
 * their X.509 {@code SubjectPublicKeyInfo} encoding here. Instances are immutable and thread-safe.
 */
public final class IdentityKeys {
  /** Length of a raw Ed25519 public key. */
  public static final int PUBLIC_KEY_LENGTH = 32;

  /** Length of an Ed25519 private key seed. */
  public static final int SEED_LENGTH = 32;

  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = 64;

  private static final String ALGORITHM = "Ed25519";

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw bytes. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final PrivateKey privateKey;
  private final byte[] publicKey;

  private IdentityKeys(KeyPair keyPair) {
    this.privateKey = keyPair.getPrivate();
    this.publicKey = rawPublicKey(keyPair.getPublic());
  }

  /** Generates a fresh random key pair (the seed's per-process legacy signer). */
  public static IdentityKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      return new IdentityKeys(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
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
    try {
      // The JDK cannot derive an Ed25519 public key from a private key directly, but its key pair
      // generator takes the private key as the next 32 bytes of its random source.
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytesRandom(seed));
      return new IdentityKeys(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  /**
   * Wraps an existing Ed25519 key pair (for example a libp2p host key in hybrid mode).
   *
   * @throws IllegalArgumentException if it is not an Ed25519 key pair
   */
  public static IdentityKeys fromKeyPair(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    Objects.requireNonNull(keyPair.getPrivate(), "private key");
    Objects.requireNonNull(keyPair.getPublic(), "public key");
    IdentityKeys keys = new IdentityKeys(keyPair);
    // Make sure the halves belong together and the private key is usable for Ed25519.
    byte[] probe = {'p', 'r', 'o', 'b', 'e'};
    if (!verify(keys.publicKey, probe, keys.sign(probe))) {
      throw new IllegalArgumentException("private and public key do not match");
    }
    return keys;
  }

  /** This key pair's raw 32-byte public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Signs {@code message} and returns the 64-byte Ed25519 signature. */
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(privateKey);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
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
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(toPublicKey(publicKey));
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "IdentityKeys[publicKey=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
  }

  private static PublicKey toPublicKey(byte[] raw) throws GeneralSecurityException {
    byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + PUBLIC_KEY_LENGTH);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, PUBLIC_KEY_LENGTH);
    return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
  }

  private static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null
        || encoded.length != X509_PREFIX.length + PUBLIC_KEY_LENGTH
        || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
  }

  /** A random source that yields a fixed byte string once, to seed the key pair generator. */
  private static final class FixedBytesRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private boolean used;

    FixedBytesRandom(byte[] bytes) {
      super(new byte[0]);
      this.bytes = bytes.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
      if (used || out.length != bytes.length) {
        throw new IllegalStateException("unexpected request for " + out.length + " random bytes");
      }
      used = true;
      System.arraycopy(bytes, 0, out, 0, out.length);
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
