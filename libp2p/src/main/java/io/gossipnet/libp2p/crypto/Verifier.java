package io.gossipnet.libp2p.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * A public key's bytes, decoded once when the {@link PublicKey} is made, in the form that verifies
 * its signatures. {@link #decode} checks the whole key with {@link Der} (no general ASN.1 parser
 * sees a remote key) and refuses, with an {@link IllegalArgumentException} saying why, anything but:
 *
 * <ul>
 *   <li>Ed25519: 32 bytes;
 *   <li>secp256k1: a point on the curve, 33 bytes compressed ({@code 02}/{@code 03}) or 65
 *       uncompressed ({@code 04});
 *   <li>ECDSA: the SubjectPublicKeyInfo of an uncompressed point on P-256, P-384 or P-521 (named
 *       curve), the point on the curve;
 *   <li>RSA: the SubjectPublicKeyInfo ({@code rsaEncryption}, NULL parameters) of a modulus of
 *       2048 to 8192 bits, go-libp2p's {@code MinRsaKeyBits} and {@code maxRsaKeyBits}, and an odd
 *       public exponent of 3 to 2^31 - 1 (Go's {@code crypto/rsa} bound); the verification cost
 *       of such a key is at most that of RSA-8192 with a 31-bit exponent.
 * </ul>
 *
 * <p>A signature is checked before any arithmetic: longer than {@link #maxSignatureSize} is refused
 * on its length alone; an ECDSA or secp256k1 signature must be exactly {@code SEQUENCE { INTEGER r,
 * INTEGER s }} in DER with {@code 0 < r, s < n}; an RSA signature exactly as long as the modulus.
 */
sealed interface Verifier {
  /** The longest signature the key's type and size allow; longer ones are refused unread. */
  int maxSignatureSize();

  /**
   * Whether {@code signature} is a valid signature of {@code message}. Refusals that the checks
   * here find return false; the JDK's and BouncyCastle's own may also throw, which {@link
   * PublicKey#verify} maps to false.
   */
  boolean verify(byte[] message, byte[] signature) throws GeneralSecurityException;

  /** go-libp2p's {@code MinRsaKeyBits}. */
  int MIN_RSA_BITS = 2048;
  /** go-libp2p's {@code maxRsaKeyBits}. */
  int MAX_RSA_BITS = 8192;
  /** Bits of the largest public exponent accepted: Go's {@code crypto/rsa} takes at most 2^31 - 1. */
  int MAX_RSA_EXPONENT_BITS = 31;

  /** Decodes {@code data} as a key of {@code type}, reading it in place; refuses it as described above. */
  static Verifier decode(KeyType type, byte[] data) {
    return switch (type) {
      case ED25519 -> Ed25519Key.decode(data);
      case SECP256K1 -> Secp256k1Key.decode(data);
      case ECDSA -> EcdsaKey.decode(data);
      case RSA -> RsaKey.decode(data);
    };
  }

  /**
   * The longest DER {@code SEQUENCE { INTEGER r, INTEGER s }} for a group of order {@code n}: r and
   * s take at most {@code bits / 8 + 1} bytes each (a leading zero when the top bit is set), so 72
   * bytes for the 256-bit curves, 104 for P-384 and 139 for P-521 (whose SEQUENCE length needs the
   * long form).
   */
  static int maxEcdsaSignatureSize(BigInteger n) {
    int integer = n.bitLength() / 8 + 1;
    int contents = 2 * (2 + integer);
    return contents + (contents < 0x80 ? 2 : 3);
  }

  /**
   * r and s of a DER ECDSA signature for a group of order {@code n}, or null unless the signature
   * is exactly {@code SEQUENCE { INTEGER r, INTEGER s }} in DER with {@code 0 < r, s < n}. The
   * length is checked first; the integers are read only once their sizes are bounded.
   */
  static BigInteger[] ecdsaSignature(byte[] signature, BigInteger n) {
    if (signature.length > maxEcdsaSignatureSize(n)) {
      return null;
    }
    int maxBits = n.bitLength();
    try {
      Der outer = Der.of(signature);
      Der sequence = outer.next(Der.SEQUENCE, "signature");
      outer.end("signature");
      Der r = sequence.next(Der.INTEGER, "r");
      Der s = sequence.next(Der.INTEGER, "s");
      sequence.end("signature");
      if (r.integerBits("r") > maxBits || s.integerBits("s") > maxBits) {
        return null;
      }
      BigInteger rv = r.integerValue("r");
      BigInteger sv = s.integerValue("s");
      if (rv.signum() == 0 || sv.signum() == 0 || rv.compareTo(n) >= 0 || sv.compareTo(n) >= 0) {
        return null;
      }
      return new BigInteger[] {rv, sv};
    } catch (IllegalArgumentException notStrictDer) {
      return null;
    }
  }

  /** Ed25519: the raw 32-byte key; verification by {@link Ed25519}. */
  record Ed25519Key(byte[] key) implements Verifier {
    static Ed25519Key decode(byte[] data) {
      if (data.length != Ed25519.KEY_SIZE) {
        throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, got " + data.length);
      }
      return new Ed25519Key(data.clone());
    }

    @Override
    public int maxSignatureSize() {
      return Ed25519.SIGNATURE_SIZE;
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      return Ed25519.verify(key, message, signature);
    }
  }

  /** secp256k1: a BouncyCastle point, checked on the curve; ECDSA over SHA-256. */
  record Secp256k1Key(ECPublicKeyParameters key) implements Verifier {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
        new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    static Secp256k1Key decode(byte[] data) {
      int prefix = data.length == 0 ? -1 : data[0] & 0xff;
      boolean compressed = data.length == 33 && (prefix == 2 || prefix == 3);
      boolean uncompressed = data.length == 65 && prefix == 4;
      if (!compressed && !uncompressed) {
        throw new IllegalArgumentException("secp256k1 public key must be a 33-byte compressed or 65-byte uncompressed"
            + " point, got " + data.length + " bytes" + (prefix < 0 ? "" : String.format(" starting 0x%02x", prefix)));
      }
      try {
        return new Secp256k1Key(new ECPublicKeyParameters(CURVE.getCurve().decodePoint(data), DOMAIN));
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new IllegalArgumentException("secp256k1 public key is not a point on the curve: " + e.getMessage(), e);
      }
    }

    @Override
    public int maxSignatureSize() {
      return maxEcdsaSignatureSize(DOMAIN.getN());
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      BigInteger[] rs = ecdsaSignature(signature, DOMAIN.getN());
      if (rs == null) {
        return false;
      }
      SHA256Digest digest = new SHA256Digest();
      digest.update(message, 0, message.length);
      byte[] hash = new byte[32];
      digest.doFinal(hash, 0);
      ECDSASigner signer = new ECDSASigner();
      signer.init(false, key);
      return signer.verifySignature(hash, rs[0], rs[1]);
    }
  }

  /** The NIST prime curves the JDK verifies, by the OID of their name in a SubjectPublicKeyInfo. */
  enum NamedCurve {
    P256("secp256r1", "06082a8648ce3d030107", 32),
    P384("secp384r1", "06052b81040022", 48),
    P521("secp521r1", "06052b81040023", 66);

    final String jdkName;
    final byte[] oid;
    final int coordinateBytes;
    private volatile ECParameterSpec params;

    NamedCurve(String jdkName, String oidHex, int coordinateBytes) {
      this.jdkName = jdkName;
      this.oid = HexFormat.of().parseHex(oidHex);
      this.coordinateBytes = coordinateBytes;
    }

    ECParameterSpec params() throws GeneralSecurityException {
      ECParameterSpec p = params;
      if (p == null) {
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
        ap.init(new ECGenParameterSpec(jdkName));
        p = ap.getParameterSpec(ECParameterSpec.class);
        params = p;
      }
      return p;
    }
  }

  /** ECDSA on a NIST curve: a JDK key, the point checked on the curve; SHA-256. */
  record EcdsaKey(java.security.PublicKey key, BigInteger order) implements Verifier {
    /** id-ecPublicKey, 1.2.840.10045.2.1, with its header. */
    private static final byte[] EC_PUBLIC_KEY = HexFormat.of().parseHex("06072a8648ce3d0201");

    static EcdsaKey decode(byte[] data) {
      Der outer = Der.of(data);
      Der spki = outer.next(Der.SEQUENCE, "ECDSA SubjectPublicKeyInfo");
      outer.end("ECDSA public key");
      Der algorithm = spki.next(Der.SEQUENCE, "ECDSA AlgorithmIdentifier");
      if (!algorithm.nextIs(EC_PUBLIC_KEY)) {
        throw new IllegalArgumentException("ECDSA public key's algorithm is not id-ecPublicKey");
      }
      NamedCurve curve = null;
      for (NamedCurve c : NamedCurve.values()) {
        if (algorithm.nextIs(c.oid)) {
          curve = c;
          break;
        }
      }
      if (curve == null) {
        throw new IllegalArgumentException("ECDSA public key is not on a named curve P-256, P-384 or P-521");
      }
      algorithm.end("ECDSA AlgorithmIdentifier");
      Der bits = spki.next(Der.BIT_STRING, "ECDSA public key BIT STRING");
      spki.end("ECDSA SubjectPublicKeyInfo");
      if (bits.nextByte("ECDSA public key BIT STRING") != 0) {
        throw new IllegalArgumentException("ECDSA public key BIT STRING has unused bits");
      }
      if (bits.remaining() != 1 + 2 * curve.coordinateBytes || bits.nextByte("ECDSA point") != 4) {
        throw new IllegalArgumentException("ECDSA point must be uncompressed: 0x04 and two " + curve.coordinateBytes
            + "-byte coordinates");
      }
      BigInteger x = bits.nextUnsigned(curve.coordinateBytes, "ECDSA point x");
      BigInteger y = bits.nextUnsigned(curve.coordinateBytes, "ECDSA point y");
      try {
        ECParameterSpec params = curve.params();
        checkOnCurve(params.getCurve(), x, y);
        java.security.PublicKey key =
            KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
        return new EcdsaKey(key, params.getOrder());
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("ECDSA public key on " + curve.jdkName + " refused by the JDK: "
            + e.getMessage(), e);
      }
    }

    /** y^2 = x^3 + ax + b (mod p), with the coordinates below p. */
    private static void checkOnCurve(EllipticCurve curve, BigInteger x, BigInteger y) {
      BigInteger p = ((ECFieldFp) curve.getField()).getP();
      if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
        throw new IllegalArgumentException("ECDSA point has a coordinate not below the field prime");
      }
      BigInteger rhs = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
      if (!y.multiply(y).mod(p).equals(rhs)) {
        throw new IllegalArgumentException("ECDSA point is not on the curve");
      }
    }

    @Override
    public int maxSignatureSize() {
      return maxEcdsaSignatureSize(order);
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) throws GeneralSecurityException {
      BigInteger[] rs = ecdsaSignature(signature, order);
      if (rs == null) {
        return false;
      }
      // The JDK gets r and s as fixed-width numbers: it never parses the remote's DER itself.
      int width = (order.bitLength() + 7) / 8;
      byte[] p1363 = new byte[2 * width];
      putUnsigned(rs[0], p1363, 0, width);
      putUnsigned(rs[1], p1363, width, width);
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initVerify(key);
      s.update(message);
      return s.verify(p1363);
    }

    private static void putUnsigned(BigInteger v, byte[] out, int offset, int width) {
      byte[] b = v.toByteArray();
      int len = Math.min(b.length, width);
      System.arraycopy(b, b.length - len, out, offset + width - len, len);
    }
  }

  /** RSA: a JDK key of 2048 to 8192 bits; PKCS #1 v1.5 with SHA-256. */
  record RsaKey(java.security.PublicKey key, int modulusBytes) implements Verifier {
    /** rsaEncryption, 1.2.840.113549.1.1.1, with its header. */
    private static final byte[] RSA_ENCRYPTION = HexFormat.of().parseHex("06092a864886f70d010101");
    private static final byte[] NULL = {0x05, 0x00};
    private static final BigInteger THREE = BigInteger.valueOf(3);

    static RsaKey decode(byte[] data) {
      Der outer = Der.of(data);
      Der spki = outer.next(Der.SEQUENCE, "RSA SubjectPublicKeyInfo");
      outer.end("RSA public key");
      Der algorithm = spki.next(Der.SEQUENCE, "RSA AlgorithmIdentifier");
      if (!algorithm.nextIs(RSA_ENCRYPTION)) {
        throw new IllegalArgumentException("RSA public key's algorithm is not rsaEncryption");
      }
      if (!algorithm.nextIs(NULL)) {
        throw new IllegalArgumentException("RSA public key's algorithm lacks its NULL parameters");
      }
      algorithm.end("RSA AlgorithmIdentifier");
      Der bits = spki.next(Der.BIT_STRING, "RSA public key BIT STRING");
      spki.end("RSA SubjectPublicKeyInfo");
      if (bits.nextByte("RSA public key BIT STRING") != 0) {
        throw new IllegalArgumentException("RSA public key BIT STRING has unused bits");
      }
      Der rsaPublicKey = bits.next(Der.SEQUENCE, "RSAPublicKey");
      bits.end("RSA public key BIT STRING");
      Der n = rsaPublicKey.next(Der.INTEGER, "RSA modulus");
      Der e = rsaPublicKey.next(Der.INTEGER, "RSA public exponent");
      rsaPublicKey.end("RSAPublicKey");
      int modulusBits = n.integerBits("RSA modulus");
      if (modulusBits < MIN_RSA_BITS || modulusBits > MAX_RSA_BITS) {
        throw new IllegalArgumentException("RSA key of " + modulusBits + " bits: libp2p accepts " + MIN_RSA_BITS
            + " to " + MAX_RSA_BITS + " bits");
      }
      int exponentBits = e.integerBits("RSA public exponent");
      if (exponentBits > MAX_RSA_EXPONENT_BITS) {
        throw new IllegalArgumentException("RSA public exponent of " + exponentBits + " bits: at most 2^31 - 1 accepted");
      }
      BigInteger modulus = n.integerValue("RSA modulus");
      BigInteger exponent = e.integerValue("RSA public exponent");
      if (!modulus.testBit(0)) {
        throw new IllegalArgumentException("RSA modulus is even");
      }
      if (!exponent.testBit(0) || exponent.compareTo(THREE) < 0) {
        throw new IllegalArgumentException("RSA public exponent " + exponent + ": must be odd and at least 3");
      }
      try {
        return new RsaKey(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)),
            (modulusBits + 7) / 8);
      } catch (GeneralSecurityException ex) {
        throw new IllegalArgumentException("RSA public key refused by the JDK: " + ex.getMessage(), ex);
      }
    }

    @Override
    public int maxSignatureSize() {
      return modulusBytes;
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) throws GeneralSecurityException {
      if (signature.length != modulusBytes) {
        return false;
      }
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    }
  }
}
