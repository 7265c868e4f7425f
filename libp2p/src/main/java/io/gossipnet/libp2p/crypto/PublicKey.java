package io.gossipnet.libp2p.crypto;

import io.gossipnet.libp2p.internal.wire.ProtoReader;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * A libp2p public key: a {@link KeyType} and the type's key bytes, as in the {@code PublicKey}
 * protobuf. It verifies signatures of all four libp2p key types.
 */
public final class PublicKey {
  /** Largest protobuf-encoded public key accepted (an RSA-8192 SPKI is about 1.1 KiB). */
  public static final int MAX_ENCODED = 2048;

  private final KeyType type;
  private final byte[] data;

  /** A public key of {@code type} with the type's key bytes. */
  public PublicKey(KeyType type, byte[] data) {
    this.type = type;
    this.data = data.clone();
    if (type == KeyType.ED25519 && data.length != 32) {
      throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, got " + data.length);
    }
  }

  /** Decodes the protobuf {@code PublicKey{Type=1, Data=2}}. */
  public static PublicKey fromProtobuf(byte[] encoded) {
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
   * Verifies {@code signature} over {@code message}. Returns false for a bad signature or a
   * malformed key; never throws for hostile input.
   */
  public boolean verify(byte[] message, byte[] signature) {
    try {
      return switch (type) {
        case ED25519 -> Ed25519.verify(data, message, signature);
        case ECDSA -> jdkVerify("EC", "SHA256withECDSA", data, message, signature);
        case RSA -> jdkVerify("RSA", "SHA256withRSA", data, message, signature);
        case SECP256K1 -> verifySecp256k1(message, signature);
      };
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean jdkVerify(String keyAlg, String sigAlg, byte[] spki, byte[] message, byte[] sig)
      throws GeneralSecurityException {
    java.security.PublicKey key = KeyFactory.getInstance(keyAlg).generatePublic(new X509EncodedKeySpec(spki));
    Signature s = Signature.getInstance(sigAlg);
    s.initVerify(key);
    s.update(message);
    return s.verify(sig);
  }

  private boolean verifySecp256k1(byte[] message, byte[] signature) {
    X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
    ECDomainParameters domain =
        new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    ECPublicKeyParameters pub = new ECPublicKeyParameters(curve.getCurve().decodePoint(data), domain);
    ASN1Sequence seq = ASN1Sequence.getInstance(signature);
    BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
    SHA256Digest digest = new SHA256Digest();
    digest.update(message, 0, message.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, pub);
    return signer.verifySignature(hash, r, s);
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
