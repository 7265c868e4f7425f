package io.gossipnet.libp2p.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * Keys, signatures and hand-built DER for the crypto tests: an encoder independent of the
 * decoder under test, so that the tests can write exactly the (mal)formed bytes they mean.
 */
final class TestKeys {
  static final HexFormat HEX = HexFormat.of();
  static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
  static final byte[] RSA_ENCRYPTION_OID = HEX.parseHex("06092a864886f70d010101");
  static final byte[] DER_NULL = HEX.parseHex("0500");

  private TestKeys() {}

  // ---- DER ----

  /** One DER element: {@code tag}, the minimal definite length, the concatenated contents. */
  static byte[] der(int tag, byte[]... contents) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : contents) {
      body.writeBytes(c);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    out.writeBytes(length(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** A DER length in its minimal form. */
  static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    byte[] digits = BigInteger.valueOf(n).toByteArray();
    int skip = digits[0] == 0 ? 1 : 0;
    byte[] out = new byte[1 + digits.length - skip];
    out[0] = (byte) (0x80 | (digits.length - skip));
    System.arraycopy(digits, skip, out, 1, digits.length - skip);
    return out;
  }

  /** A DER INTEGER (two's complement, minimal). */
  static byte[] integer(BigInteger v) {
    return der(0x02, v.toByteArray());
  }

  static byte[] sequence(byte[]... contents) {
    return der(0x30, contents);
  }

  /** An ECDSA signature as libp2p sends it: {@code SEQUENCE { INTEGER r, INTEGER s }}. */
  static byte[] ecdsaDer(BigInteger r, BigInteger s) {
    return sequence(integer(r), integer(s));
  }

  /** {@code depth} SEQUENCEs, each the only content of the one around it, with minimal lengths. */
  static byte[] nestedSequences(int depth) {
    int[] contentLength = new int[depth];
    int inner = 0;
    for (int i = depth - 1; i >= 0; i--) {
      contentLength[i] = inner;
      inner += 1 + length(inner).length;
    }
    byte[] out = new byte[inner];
    int p = 0;
    for (int i = 0; i < depth; i++) {
      out[p++] = 0x30;
      byte[] l = length(contentLength[i]);
      System.arraycopy(l, 0, out, p, l.length);
      p += l.length;
    }
    return out;
  }

  /** {@code depth} indefinite-length SEQUENCEs ({@code 30 80}), closed by their end-of-contents octets. */
  static byte[] nestedIndefinite(int depth) {
    byte[] out = new byte[4 * depth];
    for (int i = 0; i < depth; i++) {
      out[2 * i] = 0x30;
      out[2 * i + 1] = (byte) 0x80;
    }
    return out;
  }

  /** {@code depth} indefinite-length SEQUENCE headers and nothing else: no contents, no end. */
  static byte[] unterminatedIndefinite(int depth) {
    return Arrays.copyOf(nestedIndefinite(depth), 2 * depth);
  }

  // ---- keys ----

  /** An RSA SubjectPublicKeyInfo as go-libp2p and the JDK write it. */
  static byte[] rsaSpki(BigInteger modulus, BigInteger exponent) {
    return sequence(sequence(RSA_ENCRYPTION_OID, DER_NULL),
        der(0x03, new byte[] {0}, sequence(integer(modulus), integer(exponent))));
  }

  /** An odd number of exactly {@code bits} bits: the shape of an RSA modulus, not a product of primes. */
  static BigInteger oddNumberOfBits(int bits, long seed) {
    byte[] b = new byte[(bits + 7) / 8];
    new SplittableRandom(seed).nextBytes(b);
    return new BigInteger(1, b).shiftRight(b.length * 8 - bits).setBit(bits - 1).setBit(0);
  }

  static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** A key pair on a JDK named curve: secp256r1, secp384r1 or secp521r1. */
  static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** Signs with the JDK: {@code SHA256withECDSA} (DER) or {@code SHA256withRSA}. */
  static byte[] jdkSign(KeyPair kp, String algorithm, byte[] message) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(kp.getPrivate());
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** The compressed secp256k1 public key of the private scalar {@code d}. */
  static byte[] secp256k1PublicKey(BigInteger d) {
    return SECP256K1.getG().multiply(d).normalize().getEncoded(true);
  }

  /** A deterministic (RFC 6979) secp256k1 signature of SHA-256({@code message}): {r, s}. */
  static BigInteger[] secp256k1Sign(BigInteger d, byte[] message) {
    ECDomainParameters domain = new ECDomainParameters(SECP256K1.getCurve(), SECP256K1.getG(), SECP256K1.getN(),
        SECP256K1.getH());
    SHA256Digest digest = new SHA256Digest();
    digest.update(message, 0, message.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, domain));
    return signer.generateSignature(hash);
  }

  /** Splits a DER ECDSA signature of the JDK into {r, s} (test inputs only: trusted bytes). */
  static BigInteger[] splitDer(byte[] sig) {
    int p = (sig[1] & 0xff) == 0x81 ? 3 : 2;
    int rl = sig[p + 1] & 0xff;
    BigInteger r = new BigInteger(Arrays.copyOfRange(sig, p + 2, p + 2 + rl));
    p += 2 + rl;
    int sl = sig[p + 1] & 0xff;
    BigInteger s = new BigInteger(Arrays.copyOfRange(sig, p + 2, p + 2 + sl));
    return new BigInteger[] {r, s};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
