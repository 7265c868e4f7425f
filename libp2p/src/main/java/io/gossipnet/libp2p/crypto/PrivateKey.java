package io.gossipnet.libp2p.crypto;

import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Our identity: an Ed25519 private key (signing through {@link Ed25519}). Encoded as libp2p's {@code PrivateKey}
 * protobuf with {@code Data = seed(32) ‖ public key(32)}, the form js-libp2p and go-libp2p use.
 */
public final class PrivateKey {
  private final byte[] seed;
  private final PublicKey publicKey;

  private PrivateKey(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    this.seed = seed.clone();
    this.publicKey = new PublicKey(KeyType.ED25519, Ed25519.publicKey(seed));
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
    return Ed25519.sign(seed, publicKey.data(), message);
  }

  @Override
  public String toString() {
    return "PrivateKey(" + peerId() + ")";
  }
}
