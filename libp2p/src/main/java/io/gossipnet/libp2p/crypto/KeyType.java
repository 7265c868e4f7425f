package io.gossipnet.libp2p.crypto;

/** Key types of libp2p's {@code KeyType} protobuf enum. */
public enum KeyType {
  /** RSA, public key as DER SubjectPublicKeyInfo; verified with the JDK. */
  RSA(0),
  /** Ed25519, raw 32-byte public key; our own key type. */
  ED25519(1),
  /** secp256k1, 33-byte compressed point; verified with BouncyCastle. */
  SECP256K1(2),
  /** ECDSA (P-256 and friends), DER SubjectPublicKeyInfo; verified with the JDK. */
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
