package io.gossipnet.libp2p.crypto;

import static io.gossipnet.libp2p.crypto.TestKeys.HEX;
import static io.gossipnet.libp2p.crypto.TestKeys.concat;
import static io.gossipnet.libp2p.crypto.TestKeys.der;
import static io.gossipnet.libp2p.crypto.TestKeys.ecdsaDer;
import static io.gossipnet.libp2p.crypto.TestKeys.integer;
import static io.gossipnet.libp2p.crypto.TestKeys.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PublicKey} takes keys and signatures from remote peers (Noise handshake payloads,
 * Identify, signed peer records, GossipSub messages) and must neither crash, nor recurse, nor
 * allocate or compute more than the input's legitimate form needs: keys are checked in full when
 * they are decoded, signatures before any parser or arithmetic sees them.
 */
class PublicKeyTest {
  private static final byte[] MESSAGE = "noise-libp2p-static-key:0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** What a refused signature may allocate: a small exception at most, nothing proportional to the input. */
  private static final long REFUSAL_ALLOCATION = 16 * 1024;
  /** A thread stack far below the default (1 MiB): deep recursion would overflow it at once. */
  private static final long SMALL_STACK = 256 * 1024;
  private static final String BC_NESTING_CAP = "org.bouncycastle.asn1.max_cons_depth";

  private static final BigInteger SECP256K1_D = new BigInteger(1,
      HEX.parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));
  private static final PublicKey SECP256K1_KEY =
      new PublicKey(KeyType.SECP256K1, TestKeys.secp256k1PublicKey(SECP256K1_D));
  private static final KeyPair P256 = TestKeys.ecKeyPair("secp256r1");
  private static final PublicKey P256_KEY = new PublicKey(KeyType.ECDSA, P256.getPublic().getEncoded());
  private static final KeyPair RSA_2048 = TestKeys.rsaKeyPair(2048);
  private static final PublicKey RSA_KEY = new PublicKey(KeyType.RSA, RSA_2048.getPublic().getEncoded());
  private static final PrivateKey ED25519 = PrivateKey.fromSeed(new byte[32]);

  // ---- signatures ----

  /** Signatures no ECDSA key may accept, the deep and the huge ones far beyond a signature's size. */
  static Stream<Arguments> hostileSignatures() {
    BigInteger[] rs = TestKeys.secp256k1Sign(SECP256K1_D, MESSAGE);
    byte[] valid = ecdsaDer(rs[0], rs[1]);
    byte[] wrapped = valid;
    for (int i = 0; i < 100; i++) {
      wrapped = sequence(wrapped);
    }
    return Stream.of(
        Arguments.of("100,000 nested SEQUENCEs with minimal lengths", TestKeys.nestedSequences(100_000)),
        Arguments.of("100,000 nested indefinite-length SEQUENCEs", TestKeys.nestedIndefinite(100_000)),
        Arguments.of("100,000 indefinite-length headers, unterminated", TestKeys.unterminatedIndefinite(100_000)),
        Arguments.of("36 nested SEQUENCEs in 72 bytes", TestKeys.nestedSequences(36)),
        Arguments.of("18 nested indefinite-length SEQUENCEs in 72 bytes", TestKeys.nestedIndefinite(18)),
        Arguments.of("a valid signature in 100 SEQUENCEs", wrapped),
        Arguments.of("a SEQUENCE claiming 2^31 - 1 bytes", HEX.parseHex("30847fffffff020101020101")),
        Arguments.of("a SEQUENCE with a 9-byte length field", HEX.parseHex("3089ffffffffffffffffff020101020101")),
        Arguments.of("an INTEGER claiming 2^31 - 1 bytes", HEX.parseHex("300a02847fffffff01020101")),
        Arguments.of("an INTEGER with an indefinite length", HEX.parseHex("3009028001010000020101")),
        Arguments.of("empty", new byte[0]));
  }

  /**
   * BouncyCastle 1.87 caps ASN.1 nesting at 64 levels ({@code org.bouncycastle.asn1.max_cons_depth}),
   * a JVM-wide setting. The test lifts the cap and runs on a small stack: before the signature
   * pre-check, the secp256k1 path threw {@code StackOverflowError} here, an {@code Error} that
   * {@code verify}'s {@code catch (RuntimeException)} let through.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileSignatures")
  void aSignatureOfDeeplyNestedDerIsRefusedWithoutRecursing(String name, byte[] signature) {
    for (PublicKey key : List.of(SECP256K1_KEY, P256_KEY, RSA_KEY, ED25519.publicKey())) {
      onASmallStackWithBouncyCastlesNestingCapLifted(() -> {
        Outcome outcome = Decoding.check(signature, REFUSAL_ALLOCATION, in -> {
          assertThat(key.verify(MESSAGE, in)).as("%s signature of %s", key.type(), name).isFalse();
          assertThat(key.verifyCached(MESSAGE, in)).as("%s signature of %s, cached", key.type(), name).isFalse();
          return null;
        });
        assertThat(outcome).isEqualTo(Outcome.ACCEPTED);
      });
    }
  }

  /** A valid signature's r and s, re-encoded in the ways a lenient (BER) parser would still take. */
  static Stream<Arguments> malformedEcdsaSignatures() {
    List<Arguments> cases = new ArrayList<>();
    BigInteger[] k1 = TestKeys.secp256k1Sign(SECP256K1_D, MESSAGE);
    BigInteger[] p256 = TestKeys.splitDer(TestKeys.jdkSign(P256, "SHA256withECDSA", MESSAGE));
    BigInteger k1Order = TestKeys.SECP256K1.getN();
    BigInteger p256Order = ((ECPublicKey) P256.getPublic()).getParams().getOrder();
    for (Object[] key : new Object[][] {{SECP256K1_KEY, k1, k1Order}, {P256_KEY, p256, p256Order}}) {
      PublicKey pk = (PublicKey) key[0];
      BigInteger r = ((BigInteger[]) key[1])[0];
      BigInteger s = ((BigInteger[]) key[1])[1];
      BigInteger n = (BigInteger) key[2];
      byte[] body = concat(integer(r), integer(s));
      cases.add(Arguments.of(pk, "the valid signature", ecdsaDer(r, s), true));
      cases.add(Arguments.of(pk, "a long-form SEQUENCE length under 128", concat(HEX.parseHex("3081"),
          new byte[] {(byte) body.length}, body), false));
      cases.add(Arguments.of(pk, "an indefinite-length SEQUENCE", concat(HEX.parseHex("3080"), body, new byte[2]), false));
      cases.add(Arguments.of(pk, "a trailing byte", concat(ecdsaDer(r, s), new byte[1]), false));
      cases.add(Arguments.of(pk, "a third INTEGER", sequence(integer(r), integer(s), integer(BigInteger.ONE)), false));
      cases.add(Arguments.of(pk, "r with a redundant leading zero",
          sequence(der(0x02, concat(new byte[1], r.toByteArray())), integer(s)), false));
      cases.add(Arguments.of(pk, "a negative r", ecdsaDer(r.negate(), s), false));
      cases.add(Arguments.of(pk, "r = 0", ecdsaDer(BigInteger.ZERO, s), false));
      cases.add(Arguments.of(pk, "s = the group order", ecdsaDer(r, n), false));
      cases.add(Arguments.of(pk, "r + the group order", ecdsaDer(r.add(n), s), false));
      cases.add(Arguments.of(pk, "a SET instead of a SEQUENCE", der(0x31, body), false));
      cases.add(Arguments.of(pk, "the SEQUENCE inside another", sequence(ecdsaDer(r, s)), false));
      cases.add(Arguments.of(pk, "OCTET STRINGs instead of INTEGERs",
          sequence(der(0x04, r.toByteArray()), der(0x04, s.toByteArray())), false));
      cases.add(Arguments.of(pk, "an empty INTEGER", sequence(der(0x02), integer(s)), false));
      cases.add(Arguments.of(pk, "a length one past the end", concat(new byte[] {0x30, (byte) (body.length + 1)}, body), false));
      cases.add(Arguments.of(pk, "a high-tag-number form", concat(HEX.parseHex("3f10"), new byte[] {(byte) body.length}, body),
          false));
      cases.add(Arguments.of(pk, "the raw 64-byte r || s form", concat(fixed(r, 32), fixed(s, 32)), false));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("malformedEcdsaSignatures")
  void anEcdsaSignatureMustBeExactlyASequenceOfTwoMinimalPositiveIntegers(PublicKey key, String name, byte[] signature,
      boolean verifies) {
    assertThat(key.verify(MESSAGE, signature)).isEqualTo(verifies);
  }

  @Test
  void theLongestSignatureOfA256BitCurveIs72BytesAndVerifies() {
    // r and s both of 256 bits need a leading zero each: 2 + (2 + 33) + (2 + 33) = 72 bytes.
    byte[] longestK1 = null;
    byte[] longestP256 = null;
    for (int i = 0; longestK1 == null || longestP256 == null; i++) {
      assertThat(i).as("tries to find 72-byte signatures").isLessThan(1000);
      byte[] m = concat(MESSAGE, Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
      BigInteger[] rs = TestKeys.secp256k1Sign(SECP256K1_D, m);
      if (longestK1 == null && rs[0].bitLength() == 256 && rs[1].bitLength() == 256) {
        longestK1 = ecdsaDer(rs[0], rs[1]);
        assertThat(SECP256K1_KEY.verify(m, longestK1)).isTrue();
      }
      byte[] p = TestKeys.jdkSign(P256, "SHA256withECDSA", m);
      if (longestP256 == null && p.length == 72) {
        longestP256 = p;
        assertThat(P256_KEY.verify(m, longestP256)).isTrue();
      }
    }
    assertThat(longestK1).hasSize(72);
    assertThat(longestP256).hasSize(72);
  }

  @Test
  void signaturesOfTheLargerNistCurvesVerifyUpToTheirOwnLongerBounds() {
    for (String curve : List.of("secp384r1", "secp521r1")) {
      KeyPair kp = TestKeys.ecKeyPair(curve);
      PublicKey key = new PublicKey(KeyType.ECDSA, kp.getPublic().getEncoded());
      byte[] sig = TestKeys.jdkSign(kp, "SHA256withECDSA", MESSAGE);
      assertThat(key.verify(MESSAGE, sig)).as(curve).isTrue();
      byte[] other = MESSAGE.clone();
      other[0] ^= 1;
      assertThat(key.verify(other, sig)).as(curve + ", other message").isFalse();
      // P-521: r and s of up to 66 bytes each; the SEQUENCE's length (up to 136) needs the long form.
      BigInteger[] rs = TestKeys.splitDer(sig);
      assertThat(key.verify(MESSAGE, ecdsaDer(rs[0], rs[1]))).isTrue();
    }
  }

  @Test
  void anRsaSignatureMustBeExactlyAsLongAsTheModulus() {
    byte[] sig = TestKeys.jdkSign(RSA_2048, "SHA256withRSA", MESSAGE);
    assertThat(sig).hasSize(256);
    assertThat(RSA_KEY.verify(MESSAGE, sig)).isTrue();
    assertThat(RSA_KEY.verify(MESSAGE, concat(new byte[1], sig))).isFalse();
    assertThat(RSA_KEY.verify(MESSAGE, Arrays.copyOf(sig, 255))).isFalse();
    assertThat(RSA_KEY.verify(MESSAGE, new byte[256])).isFalse();
  }

  // ---- keys ----

  static Stream<Arguments> hostileKeyData() {
    return Stream.of(
        Arguments.of("100,000 nested SEQUENCEs with minimal lengths", TestKeys.nestedSequences(100_000)),
        Arguments.of("100,000 nested indefinite-length SEQUENCEs", TestKeys.nestedIndefinite(100_000)),
        Arguments.of("100,000 indefinite-length headers, unterminated", TestKeys.unterminatedIndefinite(100_000)),
        Arguments.of("1,000 nested SEQUENCEs in 2 KiB", TestKeys.nestedSequences(1_000)),
        Arguments.of("500 nested indefinite-length SEQUENCEs in 2 KiB", TestKeys.nestedIndefinite(500)),
        Arguments.of("a SEQUENCE claiming 2^31 - 1 bytes", HEX.parseHex("30847fffffff300d")),
        Arguments.of("a SEQUENCE with a 9-byte length field", HEX.parseHex("3089ffffffffffffffffff3000")));
  }

  /**
   * Before decoding checked the key's structure, the RSA and ECDSA key bytes went to the JDK's
   * {@code X509EncodedKeySpec} parser on every verification; 100,000 nested indefinite-length
   * SEQUENCEs (400 KB, through the constructor) took it 10 to 20 s of CPU and 7 MB.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileKeyData")
  void keyDataOfDeeplyNestedAsn1IsRefusedAtDecodingWithoutRecursing(String name, byte[] data) {
    for (KeyType type : List.of(KeyType.RSA, KeyType.ECDSA)) {
      onASmallStackWithBouncyCastlesNestingCapLifted(() -> {
        assertThat(Decoding.check(data, REFUSAL_ALLOCATION, in -> new PublicKey(type, in), IllegalArgumentException.class))
            .as("%s key of %s", type, name).isEqualTo(Outcome.REFUSED);
        byte[] protobuf = new ProtoWriter().varint(1, type.code()).bytes(2, data).toByteArray();
        assertThat(Decoding.check(protobuf, REFUSAL_ALLOCATION, PublicKey::fromProtobuf, IllegalArgumentException.class))
            .as("%s key protobuf of %s", type, name).isEqualTo(Outcome.REFUSED);
      });
    }
  }

  @Test
  void rsaKeysOfFewerThan2048OrMoreThan8192BitsAreRefusedAtDecoding() {
    BigInteger e = BigInteger.valueOf(65537);
    for (int bits : new int[] {2048, 3072, 4096, 8192}) {
      PublicKey key = new PublicKey(KeyType.RSA, TestKeys.rsaSpki(TestKeys.oddNumberOfBits(bits, bits), e));
      assertThat(PublicKey.fromProtobuf(key.toProtobuf())).isEqualTo(key);
    }
    for (int bits : new int[] {512, 1024, 2047, 8193, 9216, 16384}) {
      byte[] spki = TestKeys.rsaSpki(TestKeys.oddNumberOfBits(bits, bits), e);
      assertThatThrownBy(() -> new PublicKey(KeyType.RSA, spki))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("RSA key of " + bits + " bits: libp2p accepts 2048 to 8192 bits");
    }
    // The largest key accepted: 8192 bits with a 31-bit exponent, the bound behind MAX_ENCODED's comment.
    byte[] largest = TestKeys.rsaSpki(TestKeys.oddNumberOfBits(8192, 3), BigInteger.valueOf(Integer.MAX_VALUE));
    assertThat(new PublicKey(KeyType.RSA, largest).data()).hasSize(1063);
    // A real 1024-bit key, for good measure.
    byte[] small = TestKeys.rsaKeyPair(1024).getPublic().getEncoded();
    assertThatThrownBy(() -> new PublicKey(KeyType.RSA, small)).hasMessageContaining("of 1024 bits");
  }

  @Test
  void aKeyProtobufOverTheLimitIsRefusedBeforeItsKeyIsRead() {
    byte[] spki = TestKeys.rsaSpki(TestKeys.oddNumberOfBits(16384, 1), BigInteger.valueOf(65537));
    byte[] protobuf = new ProtoWriter().varint(1, KeyType.RSA.code()).bytes(2, spki).toByteArray();
    assertThat(protobuf.length).isGreaterThan(PublicKey.MAX_ENCODED);
    assertThatThrownBy(() -> PublicKey.fromProtobuf(protobuf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public key protobuf of " + protobuf.length + " bytes exceeds " + PublicKey.MAX_ENCODED);
  }

  @Test
  void anRsaKeyWithASmallEvenOrHugePublicExponentIsRefusedAtDecoding() {
    BigInteger n = TestKeys.oddNumberOfBits(2048, 7);
    for (BigInteger e : List.of(BigInteger.valueOf(3), BigInteger.valueOf(65537), BigInteger.valueOf(Integer.MAX_VALUE))) {
      assertThat(new PublicKey(KeyType.RSA, TestKeys.rsaSpki(n, e)).type()).isEqualTo(KeyType.RSA);
    }
    for (BigInteger e : List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(65536),
        BigInteger.ONE.shiftLeft(31).add(BigInteger.ONE), BigInteger.ONE.shiftLeft(2047).add(BigInteger.ONE))) {
      assertThatThrownBy(() -> new PublicKey(KeyType.RSA, TestKeys.rsaSpki(n, e)))
          .as("exponent %s", e)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("RSA public exponent");
    }
  }

  @Test
  void anRsaKeyMustBeTheSubjectPublicKeyInfoGoLibp2pWrites() {
    BigInteger n = TestKeys.oddNumberOfBits(2048, 11);
    byte[] rsaKey = sequence(integer(n), integer(BigInteger.valueOf(65537)));
    byte[] algorithm = sequence(TestKeys.RSA_ENCRYPTION_OID, TestKeys.DER_NULL);
    assertThat(new PublicKey(KeyType.RSA, sequence(algorithm, der(0x03, new byte[1], rsaKey))).type())
        .isEqualTo(KeyType.RSA);
    List<byte[]> refused = List.of(
        sequence(sequence(TestKeys.RSA_ENCRYPTION_OID), der(0x03, new byte[1], rsaKey)),
        sequence(sequence(HEX.parseHex("06092a864886f70d01010a"), TestKeys.DER_NULL), der(0x03, new byte[1], rsaKey)),
        sequence(algorithm, der(0x03, new byte[] {1}, rsaKey)),
        sequence(algorithm, der(0x04, rsaKey)),
        sequence(algorithm, der(0x03, new byte[1], rsaKey), new byte[] {5, 0}),
        concat(sequence(algorithm, der(0x03, new byte[1], rsaKey)), new byte[1]),
        sequence(algorithm, der(0x03, new byte[1], sequence(integer(n.negate()), integer(BigInteger.valueOf(65537))))),
        sequence(algorithm, der(0x03, new byte[1], sequence(integer(n.add(BigInteger.ONE)), integer(BigInteger.valueOf(65537))))),
        sequence(algorithm, der(0x03, new byte[1], sequence(integer(n)))),
        rsaKey);
    for (byte[] data : refused) {
      assertThatThrownBy(() -> new PublicKey(KeyType.RSA, data)).as(HEX.formatHex(data, 0, 40))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void anEcdsaKeyMustBeAnUncompressedPointOfP256P384OrP521() {
    for (String curve : List.of("secp256r1", "secp384r1", "secp521r1")) {
      byte[] spki = TestKeys.ecKeyPair(curve).getPublic().getEncoded();
      assertThat(new PublicKey(KeyType.ECDSA, spki).data()).as(curve).isEqualTo(spki);
    }
    byte[] spki = P256.getPublic().getEncoded();
    java.security.spec.ECPoint w = ((ECPublicKey) P256.getPublic()).getW();
    byte[] algorithm = Arrays.copyOfRange(spki, 2, 2 + 2 + (spki[3] & 0xff));
    byte[] x = fixed(w.getAffineX(), 32);
    byte[] y = fixed(w.getAffineY(), 32);
    BigInteger p = ((java.security.spec.ECFieldFp) ((ECPublicKey) P256.getPublic()).getParams().getCurve().getField()).getP();
    List<byte[]> refused = List.of(
        sequence(algorithm, der(0x03, new byte[] {0, 4}, x, fixed(w.getAffineY().add(BigInteger.ONE), 32))),
        sequence(algorithm, der(0x03, new byte[] {0, (byte) (w.getAffineY().testBit(0) ? 3 : 2)}, x)),
        sequence(algorithm, der(0x03, new byte[] {0, 4}, x, y, new byte[1])),
        sequence(algorithm, der(0x03, new byte[] {0, 4}, fixed(p, 32), y)),
        sequence(algorithm, der(0x03, new byte[] {0, 4}, fixed(w.getAffineX().add(p), 33), y)),
        sequence(algorithm, der(0x03, new byte[] {1, 4}, x, y)),
        sequence(sequence(HEX.parseHex("06072a8648ce3d0201"), HEX.parseHex("06052b81040021")),
            der(0x03, new byte[] {0, 4}, fixed(BigInteger.ONE, 28), fixed(BigInteger.ONE, 28))),
        sequence(sequence(HEX.parseHex("06072a8648ce3d0201"), sequence(integer(BigInteger.ONE))), der(0x03, new byte[] {0, 4}, x, y)),
        sequence(sequence(TestKeys.RSA_ENCRYPTION_OID, TestKeys.DER_NULL), der(0x03, new byte[] {0, 4}, x, y)),
        concat(spki, new byte[1]),
        Arrays.copyOf(spki, spki.length - 1));
    for (byte[] data : refused) {
      assertThatThrownBy(() -> new PublicKey(KeyType.ECDSA, data)).as(HEX.formatHex(data))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aSecp256k1KeyMustBeAPointOnTheCurve() {
    byte[] compressed = TestKeys.secp256k1PublicKey(SECP256K1_D);
    byte[] uncompressed = TestKeys.SECP256K1.getG().multiply(SECP256K1_D).normalize().getEncoded(false);
    assertThat(new PublicKey(KeyType.SECP256K1, compressed).data()).isEqualTo(compressed);
    assertThat(new PublicKey(KeyType.SECP256K1, uncompressed).data()).isEqualTo(uncompressed);
    byte[] offCurve = compressed.clone();
    for (int x = 0; ; x++) {
      offCurve[32] = (byte) x;
      try {
        TestKeys.SECP256K1.getCurve().decodePoint(offCurve);
      } catch (IllegalArgumentException notOnTheCurve) {
        break;
      }
    }
    byte[] hybrid = uncompressed.clone();
    hybrid[0] = (byte) (6 + (uncompressed[64] & 1));
    for (byte[] data : List.of(offCurve, hybrid, new byte[] {0}, Arrays.copyOf(compressed, 32),
        concat(compressed, new byte[1]), new byte[33])) {
      assertThatThrownBy(() -> new PublicKey(KeyType.SECP256K1, data)).as(HEX.formatHex(data))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // ---- helpers ----

  /** {@code v} as exactly {@code n} unsigned big-endian bytes. */
  private static byte[] fixed(BigInteger v, int n) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[n];
    int len = Math.min(b.length, n);
    System.arraycopy(b, b.length - len, out, n - len, len);
    return out;
  }

  /** Runs {@code body} on a thread with a small stack, BouncyCastle's nesting cap lifted; rethrows what it threw. */
  private static void onASmallStackWithBouncyCastlesNestingCapLifted(Runnable body) {
    String cap = System.getProperty(BC_NESTING_CAP);
    System.setProperty(BC_NESTING_CAP, "1000000");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try {
      Thread t = new Thread(null, () -> {
        try {
          body.run();
        } catch (Throwable e) {
          thrown.set(e);
        }
      }, "small-stack", SMALL_STACK);
      t.start();
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      if (cap == null) {
        System.clearProperty(BC_NESTING_CAP);
      } else {
        System.setProperty(BC_NESTING_CAP, cap);
      }
    }
    if (thrown.get() instanceof Error e) {
      throw e;
    }
    if (thrown.get() != null) {
      throw new AssertionError(thrown.get());
    }
  }
}
