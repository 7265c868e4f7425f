package io.gossipnet.libp2p.crypto;

/**
 * Key types of libp2p's {@code KeyType} protobuf enum, with the form of the key bytes that {@link
 * PublicKey} accepts for each (anything else is refused when the key is decoded).
 */
public enum KeyType {
  /**
   * RSA: a DER SubjectPublicKeyInfo ({@code rsaEncryption} with NULL parameters) of a modulus of
   * 2048 to 8192 bits (go-libp2p's {@code MinRsaKeyBits} and {@code maxRsaKeyBits}) and an odd
   * public exponent from 3 to 2^31 - 1; signatures PKCS #1 v1.5 with SHA-256, verified with the JDK.
   */
  RSA(0),
  /** Ed25519: the raw 32-byte public key; our own key type. Verified with BouncyCastle. */
  ED25519(1),
  /**
   * secp256k1: a point on the curve, 33 bytes compressed (as libp2p writes it) or 65 uncompressed;
   * DER ECDSA signatures over SHA-256, verified with BouncyCastle.
   */
  SECP256K1(2),
  /**
   * ECDSA: a DER SubjectPublicKeyInfo of an uncompressed point on the named curve P-256, P-384 or
   * P-521; DER ECDSA signatures over SHA-256, verified with the JDK.
   */
  ECDSA(3);

  private final int code;

  KeyType(int code) {
    this.code = code;
  }

  /** The protobuf enum value. */
  public int code() {
    return code;
  }

  /** The key type for a protobuf enum value. */
  public static KeyType of(long code) {
    for (KeyType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown libp2p key type " + code);
  }
}
