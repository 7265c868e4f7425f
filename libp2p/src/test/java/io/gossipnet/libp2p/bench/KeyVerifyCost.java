package io.gossipnet.libp2p.bench;

import io.gossipnet.libp2p.crypto.KeyType;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.crypto.PublicKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * What a remote key costs a node per signature check: the time to decode (or refuse) a key and to
 * verify one signature with it, for each key type and for the RSA keys a hostile peer might send
 * (tiny, huge, with a huge public exponent). A program that prints, not a timed test:
 *
 * <pre>
 * java -cp "libp2p/target/classes:libp2p/target/test-classes:$BCPROV_JAR" \
 *   io.gossipnet.libp2p.bench.KeyVerifyCost [iterations, default 300]
 * </pre>
 *
 * <p>Keys of 2048, 4096 and 8192 bits are real, with valid signatures. The hostile ones (16384 and
 * 16000 bits; 2048 and 3072 bits with an exponent almost as long as the modulus; 512 bits) need no
 * private key: a modulus of the right size and a value below it as the "signature" make the JDK
 * do the full modular exponentiation a real one would, and the check fails only at the end. Where
 * {@link PublicKey} refuses such a key at decoding, the program prints the time to refuse instead.
 * Run it against an older {@code PublicKey} (its classes first on the class path) to see what a
 * key cost before it was refused.
 */
public final class KeyVerifyCost {
  private static final byte[] MESSAGE = "noise-libp2p-static-key:0123456789abcdef0123456789abcdef"
      .getBytes(StandardCharsets.US_ASCII);

  private KeyVerifyCost() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    System.out.printf("%d iterations after %d of warm-up; %s %s, %d CPUs%n", iterations, iterations / 3,
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors());

    PrivateKey ed = PrivateKey.fromSeed(new byte[32]);
    measure("Ed25519", KeyType.ED25519, ed.publicKey().data(), ed.sign(MESSAGE), iterations);

    BigInteger d = new BigInteger(1, MESSAGE, 0, 32);
    X9ECParameters k1 = CustomNamedCurves.getByName("secp256k1");
    measure("secp256k1", KeyType.SECP256K1, k1.getG().multiply(d).normalize().getEncoded(true),
        secp256k1Sign(k1, d), iterations);

    KeyPair p256 = ecKeyPair("secp256r1");
    measure("ECDSA P-256", KeyType.ECDSA, p256.getPublic().getEncoded(), sign(p256, "SHA256withECDSA"), iterations);

    for (int bits : new int[] {2048, 4096, 8192}) {
      long t0 = System.nanoTime();
      KeyPair rsa = rsaKeyPair(bits);
      System.out.printf("  (generated RSA-%d in %d ms)%n", bits, (System.nanoTime() - t0) / 1_000_000);
      measure("RSA-" + bits + ", e = 65537", KeyType.RSA, rsa.getPublic().getEncoded(), sign(rsa, "SHA256withRSA"),
          iterations);
    }

    BigInteger f4 = BigInteger.valueOf(65537);
    BigInteger n16384 = oddNumberOfBits(16384, 1);
    measure("RSA-16384, e = 65537 (synthetic)", KeyType.RSA, rsaSpki(n16384, f4), signatureBelow(n16384), iterations);
    BigInteger n2048 = oddNumberOfBits(2048, 2);
    BigInteger hugeE = oddNumberOfBits(2047, 3);
    measure("RSA-2048, 2047-bit e (synthetic)", KeyType.RSA, rsaSpki(n2048, hugeE), signatureBelow(n2048), iterations);
    // The costliest keys the JDK itself takes: it bounds the exponent (to 64 bits) only above 3072 bits.
    BigInteger n3072 = oddNumberOfBits(3072, 5);
    measure("RSA-3072, 3071-bit e (synthetic)", KeyType.RSA, rsaSpki(n3072, oddNumberOfBits(3071, 6)),
        signatureBelow(n3072), iterations);
    BigInteger n16000 = oddNumberOfBits(16000, 7);
    measure("RSA-16000, 64-bit e (synthetic)", KeyType.RSA, rsaSpki(n16000, oddNumberOfBits(64, 8)),
        signatureBelow(n16000), iterations);
    BigInteger n512 = oddNumberOfBits(512, 4);
    measure("RSA-512, e = 65537 (synthetic)", KeyType.RSA, rsaSpki(n512, f4), signatureBelow(n512), iterations);

    byte[] protobuf16384 = protobuf(KeyType.RSA, rsaSpki(n16384, f4));
    refuseProtobuf("RSA-16384 key protobuf (" + protobuf16384.length + " bytes)", protobuf16384, iterations);
  }

  /** Decodes the key (or times its refusal), then times verifications of {@code signature}. */
  private static void measure(String name, KeyType type, byte[] keyData, byte[] signature, int iterations) {
    PublicKey key;
    try {
      key = new PublicKey(type, keyData);
    } catch (IllegalArgumentException refused) {
      long ns = time(iterations, () -> {
        try {
          new PublicKey(type, keyData);
          throw new AssertionError("accepted the second time");
        } catch (IllegalArgumentException expected) {
          // the refusal is what is timed
        }
      });
      System.out.printf("%-36s refused at decoding in %8.2f µs: %s%n", name, ns / 1000.0, refused.getMessage());
      return;
    }
    long decode = time(iterations, () -> new PublicKey(type, keyData));
    boolean[] ok = new boolean[1];
    long verify = time(iterations, () -> ok[0] = key.verify(MESSAGE, signature));
    System.out.printf("%-36s decode %8.2f µs, verify %9.2f µs (verified: %s)%n", name, decode / 1000.0,
        verify / 1000.0, ok[0]);
  }

  private static void refuseProtobuf(String name, byte[] protobuf, int iterations) {
    String[] message = new String[1];
    long ns = time(iterations, () -> {
      try {
        PublicKey.fromProtobuf(protobuf);
        message[0] = "accepted";
      } catch (IllegalArgumentException refused) {
        message[0] = "refused: " + refused.getMessage();
      }
    });
    System.out.printf("%-36s fromProtobuf in    %8.2f µs, %s%n", name, ns / 1000.0, message[0]);
  }

  /** Mean nanoseconds per run of {@code op}, after a third as many warm-up runs. */
  private static long time(int iterations, Runnable op) {
    for (int i = 0; i < iterations / 3; i++) {
      op.run();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      op.run();
    }
    return (System.nanoTime() - t0) / iterations;
  }

  private static byte[] sign(KeyPair kp, String algorithm) throws GeneralSecurityException {
    Signature s = Signature.getInstance(algorithm);
    s.initSign(kp.getPrivate());
    s.update(MESSAGE);
    return s.sign();
  }

  private static byte[] secp256k1Sign(X9ECParameters curve, BigInteger d) throws java.io.IOException {
    SHA256Digest digest = new SHA256Digest();
    digest.update(MESSAGE, 0, MESSAGE.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d,
        new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH())));
    BigInteger[] rs = signer.generateSignature(hash);
    return new DERSequence(new ASN1Encodable[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])}).getEncoded();
  }

  private static KeyPair rsaKeyPair(int bits) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  private static KeyPair ecKeyPair(String curve) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  /** The JDK's SubjectPublicKeyInfo encoding of an RSA public key (it takes moduli up to 16384 bits). */
  private static byte[] rsaSpki(BigInteger n, BigInteger e) throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)).getEncoded();
  }

  private static BigInteger oddNumberOfBits(int bits, long seed) {
    byte[] b = new byte[(bits + 7) / 8];
    new SplittableRandom(seed).nextBytes(b);
    return new BigInteger(1, b).shiftRight(b.length * 8 - bits).setBit(bits - 1).setBit(0);
  }

  /** A value below {@code n}, as many bytes long as {@code n}: the shape of an RSA signature. */
  private static byte[] signatureBelow(BigInteger n) {
    int len = (n.bitLength() + 7) / 8;
    byte[] sig = n.shiftRight(1).toByteArray();
    byte[] out = new byte[len];
    System.arraycopy(sig, Math.max(0, sig.length - len), out, Math.max(0, len - sig.length), Math.min(len, sig.length));
    return out;
  }

  private static byte[] protobuf(KeyType type, byte[] data) {
    byte[] len = varint(data.length);
    byte[] out = new byte[2 + 1 + len.length + data.length];
    out[0] = 0x08;
    out[1] = (byte) type.code();
    out[2] = 0x12;
    System.arraycopy(len, 0, out, 3, len.length);
    System.arraycopy(data, 0, out, 3 + len.length, data.length);
    return out;
  }

  private static byte[] varint(int v) {
    byte[] b = new byte[5];
    int i = 0;
    while ((v & ~0x7f) != 0) {
      b[i++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    b[i++] = (byte) v;
    return Arrays.copyOf(b, i);
  }
}
