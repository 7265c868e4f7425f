package io.gossipnet.libp2p.crypto;

import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Our identity: an Ed25519 private key (JDK crypto). Encoded as libp2p's {@code PrivateKey}
 * protobuf with {@code Data = seed(32) ‖ public key(32)}, the form js-libp2p and go-libp2p use.
 */
public final class PrivateKey {
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
  private final byte[] seed;
  private final PublicKey publicKey;
  private final java.security.PrivateKey jdkKey;

  private PrivateKey(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    this.seed = seed.clone();
    this.publicKey = new PublicKey(KeyType.ED25519, derivePublic(seed));
    try {
      this.jdkKey = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(PublicKey.concat(PKCS8_PREFIX, seed)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e);
    }
  }

  /** A fresh random Ed25519 key. */
  public static PrivateKey generate() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return new PrivateKey(seed);
  }

  /** The Ed25519 key for a 32-byte seed (deterministic, as js's {@code generateKeyPairFromSeed}). */
  public static PrivateKey fromSeed(byte[] seed) {
    return new PrivateKey(seed);
  }

  /** Decodes the protobuf {@code PrivateKey}; only Ed25519 keys are supported as our identity. */
  public static PrivateKey fromProtobuf(byte[] encoded) {
    ProtoReader r = new ProtoReader(encoded, 4096);
    KeyType type = null;
    byte[] data = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> type = KeyType.of(r.varint());
        case 2 -> data = r.bytes();
        default -> r.skip();
      }
    }
    if (type != KeyType.ED25519) {
      throw new IllegalArgumentException("only Ed25519 private keys are supported as identity, got " + type);
    }
    if (data == null || (data.length != 64 && data.length != 32)) {
      throw new IllegalArgumentException("Ed25519 private key data must be 64 (or 32) bytes");
    }
    PrivateKey key = new PrivateKey(Arrays.copyOf(data, 32));
    if (data.length == 64 && !Arrays.equals(Arrays.copyOfRange(data, 32, 64), key.publicKey.data())) {
      throw new IllegalArgumentException("Ed25519 private key data has a public half that does not match its seed");
    }
    return key;
  }

  /** The protobuf encoding {@code PrivateKey{Type=Ed25519, Data=seed ‖ pub}}. */
  public byte[] toProtobuf() {
    return new ProtoWriter().varint(1, KeyType.ED25519.code())
        .bytes(2, PublicKey.concat(seed, publicKey.data())).toByteArray();
  }

  /** The matching public key. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Our peer ID. */
  public PeerId peerId() {
    return publicKey.toPeerId();
  }

  /** Signs {@code message} with Ed25519. */
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(jdkKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private static byte[] derivePublic(byte[] seed) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, new FixedRandom(seed));
      byte[] x509 = g.generateKeyPair().getPublic().getEncoded();
      return Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e);
    }
  }

  /** Hands the seed to the JDK's Ed25519 key pair generator, which draws exactly 32 bytes. */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }

  @Override
  public String toString() {
    return "PrivateKey(" + peerId() + ")";
  }
}
