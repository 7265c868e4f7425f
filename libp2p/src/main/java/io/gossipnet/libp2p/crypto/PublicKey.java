package io.gossipnet.libp2p.crypto;

import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A libp2p public key: a {@link KeyType} and the type's key bytes, as in the {@code PublicKey}
 * protobuf. It verifies signatures of all four libp2p key types.
 *
 * <p>Keys come from remote peers, so a key is checked in full when it is made, without a general
 * ASN.1 parser and before anything proportional to it is allocated, and refused with an {@link
 * IllegalArgumentException} unless it is one of the forms {@link KeyType} lists. Accepted keys
 * bound the work of a verification: RSA keys have 2048 to 8192 bits and a public exponent below
 * 2^31, as go-libp2p requires. {@link #verify} checks a signature's length and, for ECDSA and
 * secp256k1, its DER ({@code SEQUENCE { INTEGER r, INTEGER s }}, nothing else) before any
 * arithmetic.
 */
public final class PublicKey {
  /**
   * Largest protobuf-encoded public key accepted. The largest key itself, an RSA-8192
   * SubjectPublicKeyInfo, takes 1,063 bytes.
   */
  public static final int MAX_ENCODED = 2048;

  private final KeyType type;
  private final byte[] data;
  private final Verifier verifier;

  /**
   * A public key of {@code type} with the type's key bytes (copied).
   *
   * @throws IllegalArgumentException if {@code data} is not a key of {@code type} in the form
   *     {@link KeyType} describes, such as an RSA key of fewer than 2048 or more than 8192 bits
   */
  public PublicKey(KeyType type, byte[] data) {
    // Checked in place first: an accepted key is at most 1,063 bytes, so the copy is bounded.
    this.verifier = Verifier.decode(type, data);
    this.type = type;
    this.data = data.clone();
  }

  /**
   * Decodes the protobuf {@code PublicKey{Type=1, Data=2}} of at most {@link #MAX_ENCODED} bytes.
   *
   * @throws IllegalArgumentException if the protobuf is malformed or too long, or its key is
   *     refused as by {@link #PublicKey(KeyType, byte[])}
   */
  public static PublicKey fromProtobuf(byte[] encoded) {
    if (encoded.length > MAX_ENCODED) {
      throw new IllegalArgumentException("public key protobuf of " + encoded.length + " bytes exceeds " + MAX_ENCODED
          + " (an RSA-8192 key, the largest accepted, takes 1,063)");
    }
    ProtoReader r = new ProtoReader(encoded, MAX_ENCODED);
    KeyType type = null;
    byte[] data = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> type = KeyType.of(r.varint());
        case 2 -> data = r.bytes();
        default -> r.skip();
      }
    }
    if (type == null || data == null) {
      throw new IllegalArgumentException("public key protobuf lacks type or data");
    }
    return new PublicKey(type, data);
  }

  /** The protobuf encoding; also the input of the peer ID multihash. */
  public byte[] toProtobuf() {
    return new ProtoWriter().varint(1, type.code()).bytes(2, data).toByteArray();
  }

  /** The key type. */
  public KeyType type() {
    return type;
  }

  /** The key bytes (raw for Ed25519, compressed point for secp256k1, DER SPKI otherwise). */
  public byte[] data() {
    return data.clone();
  }

  /** The peer ID this key identifies. */
  public PeerId toPeerId() {
    return PeerId.fromPublicKey(this);
  }

  /**
   * Like {@link #verify}, remembering successful verifications: peers reuse their Noise static key
   * and signed records across connections, and each verification costs CPU on the set-up path
   * (about 90 µs for Ed25519 through BouncyCastle here; ECDSA and RSA go through the JDK).
   * Only exact (key, message, signature) triples that verified before are accepted from memory.
   */
  public boolean verifyCached(byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length > verifier.maxSignatureSize()) {
      return false;
    }
    String id;
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      d.update(toProtobuf());
      d.update(Integer.toString(message.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      d.update(message);
      d.update(signature);
      id = java.util.HexFormat.of().formatHex(d.digest());
    } catch (GeneralSecurityException e) {
      return verify(message, signature);
    }
    if (VERIFIED.containsKey(id)) {
      return true;
    }
    boolean ok = verify(message, signature);
    if (ok) {
      if (VERIFIED.size() >= VERIFIED_CACHE_SIZE) {
        VERIFIED.clear();
      }
      VERIFIED.put(id, Boolean.TRUE);
    }
    return ok;
  }

  private static final int VERIFIED_CACHE_SIZE = 4096;
  private static final java.util.Map<String, Boolean> VERIFIED = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Verifies {@code signature} over {@code message}. Returns false for a bad signature; never
   * throws for hostile input. A signature longer than the key allows (64 bytes for Ed25519, 72
   * for secp256k1 and P-256, 104 for P-384, 139 for P-521, the modulus length for RSA) is refused
   * on its length alone, an ECDSA or secp256k1 signature that is not exactly {@code SEQUENCE {
   * INTEGER r, INTEGER s }} in DER (minimal lengths and integers, {@code 0 < r, s <} the group
   * order) before any arithmetic.
   */
  public boolean verify(byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length > verifier.maxSignatureSize()) {
      return false;
    }
    try {
      return verifier.verify(message, signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey k && k.type == type && Arrays.equals(k.data, data);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return type + ":" + HexFormat.of().formatHex(data);
  }
}
