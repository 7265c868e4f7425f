package io.gossipnet.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import io.gossipnet.testkit.fuzz.Mutations;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing what a remote peer controls in its identity: the protobuf {@code PublicKey} ({@link
 * PublicKey#fromProtobuf}: every key type, the DER of RSA and ECDSA keys) and the signatures made
 * with it ({@link PublicKey#verify}: the DER of ECDSA and secp256k1 signatures, the lengths of all).
 * A key is decoded or refused with an {@link IllegalArgumentException}; a verification returns,
 * true only for the signature that was made; nested DER of any depth is refused as a key and as a
 * signature; and neither allocates more than a small bound, whatever the input's length.
 */
class CryptoFuzzTest {
  /** Decoding a key: BigIntegers, a JDK key object and at most one exception (measured: under 6 KB). */
  private static final long KEY_DECODING = 64 * 1024;
  /** One verification, independent of the signature's length (measured: P-521 about 58 KB). */
  private static final long VERIFICATION = 128 * 1024;
  private static final byte[] MESSAGE = "libp2p-peer-record".getBytes(StandardCharsets.US_ASCII);

  /** A key and its valid signature of {@link #MESSAGE}. */
  record Signed(PublicKey key, byte[] signature) {
    @Override
    public String toString() {
      return key.type() + " key, " + signature.length + "-byte signature";
    }
  }

  /** A signature of {@code signed}'s key to check, possibly changed from the valid one. */
  record Attempt(Signed signed, byte[] signature) {
    @Override
    public String toString() {
      return signed + " as " + Decoding.hex(signature);
    }
  }

  private static final List<Signed> SIGNED = signedKeys();

  private static List<Signed> signedKeys() {
    List<Signed> out = new ArrayList<>();
    PrivateKey ed = PrivateKey.fromSeed(new byte[32]);
    out.add(new Signed(ed.publicKey(), ed.sign(MESSAGE)));
    BigInteger d = new BigInteger(1, MESSAGE);
    BigInteger[] rs = TestKeys.secp256k1Sign(d, MESSAGE);
    out.add(new Signed(new PublicKey(KeyType.SECP256K1, TestKeys.secp256k1PublicKey(d)), TestKeys.ecdsaDer(rs[0], rs[1])));
    for (String curve : List.of("secp256r1", "secp384r1", "secp521r1")) {
      KeyPair kp = TestKeys.ecKeyPair(curve);
      out.add(new Signed(new PublicKey(KeyType.ECDSA, kp.getPublic().getEncoded()),
          TestKeys.jdkSign(kp, "SHA256withECDSA", MESSAGE)));
    }
    KeyPair rsa = TestKeys.rsaKeyPair(2048);
    out.add(new Signed(new PublicKey(KeyType.RSA, rsa.getPublic().getEncoded()),
        TestKeys.jdkSign(rsa, "SHA256withRSA", MESSAGE)));
    return List.copyOf(out);
  }

  static {
    // Load and link the verification and decoding classes of every key type before anything is measured.
    for (int i = 0; i < 3; i++) {
      for (Signed s : SIGNED) {
        assertThat(s.key().verify(MESSAGE, s.signature())).isTrue();
        assertThat(s.key().verify(MESSAGE, new byte[s.signature().length])).isFalse();
        assertThat(PublicKey.fromProtobuf(s.key().toProtobuf())).isEqualTo(s.key());
      }
    }
  }

  // ---- generators ----

  @Provide
  Arbitrary<Signed> signed() {
    return Arbitraries.of(SIGNED);
  }

  /** Protobuf keys of every type, mutated. */
  @Provide
  Arbitrary<byte[]> mutatedKeys() {
    return Mutations.of(SIGNED.stream().map(s -> s.key().toProtobuf()).toList(), 256);
  }

  /** Each key's valid signature, mutated (or unchanged, or random bytes). */
  @Provide
  Arbitrary<Attempt> mutatedSignatures() {
    return signed().flatMap(s -> Mutations.of(Arbitraries.just(s.signature()), 300).map(sig -> new Attempt(s, sig)));
  }

  /**
   * SEQUENCEs nested up to 100,000 deep: with minimal definite lengths, with indefinite lengths
   * (closed or not), some around a valid signature.
   */
  @Provide
  Arbitrary<byte[]> nestedDer() {
    Arbitrary<Integer> depths = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 100)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 5_000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(50_000, 100_000)));
    Arbitrary<byte[]> definite = depths.map(TestKeys::nestedSequences);
    Arbitrary<byte[]> indefinite = depths.map(TestKeys::nestedIndefinite);
    Arbitrary<byte[]> unterminated = depths.map(TestKeys::unterminatedIndefinite);
    Arbitrary<byte[]> aroundASignature = Combinators.combine(Arbitraries.integers().between(1, 300), signed())
        .as((depth, s) -> {
          byte[] sig = s.signature();
          for (int i = 0; i < depth; i++) {
            sig = TestKeys.sequence(sig);
          }
          return sig;
        });
    return Arbitraries.oneOf(definite, indefinite, unterminated, aroundASignature);
  }

  // ---- properties ----

  @Property
  void aValidKeyRoundTripsThroughItsProtobufAndVerifiesItsSignature(@ForAll("signed") Signed s) {
    PublicKey decoded = PublicKey.fromProtobuf(s.key().toProtobuf());
    assertThat(decoded).isEqualTo(s.key());
    assertThat(decoded.toProtobuf()).isEqualTo(s.key().toProtobuf());
    assertThat(decoded.verify(MESSAGE, s.signature())).isTrue();
  }

  @Property
  void aMutatedKeyIsDecodedOrRefusedNeverCrashes(@ForAll("mutatedKeys") byte[] input) {
    Outcome outcome = Decoding.check(input, KEY_DECODING, in -> {
      PublicKey key = PublicKey.fromProtobuf(in);
      assertThat(PublicKey.fromProtobuf(key.toProtobuf())).isEqualTo(key);
      return key;
    }, IllegalArgumentException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aMutatedSignatureVerifiesOnlyIfUnchangedAndNeverThrows(@ForAll("mutatedSignatures") Attempt a) {
    boolean[] verified = new boolean[1];
    Outcome outcome = Decoding.check(a.signature(), VERIFICATION,
        in -> verified[0] = a.signed().key().verify(MESSAGE, in));
    assertThat(outcome).isEqualTo(Outcome.ACCEPTED);
    assertThat(verified[0]).isEqualTo(Arrays.equals(a.signature(), a.signed().signature()));
    Statistics.collect(a.signed().key().type(), verified[0] ? "verified" : "refused");
  }

  @Property
  void nestedDerOfAnyDepthIsRefusedAsASignatureAndAsAKey(@ForAll("nestedDer") byte[] input) {
    for (Signed s : SIGNED) {
      Outcome outcome = Decoding.check(input, VERIFICATION, in -> {
        assertThat(s.key().verify(MESSAGE, in)).isFalse();
        return null;
      });
      assertThat(outcome).isEqualTo(Outcome.ACCEPTED);
    }
    // Any 32 bytes are an Ed25519 key; the other types' keys are DER or a tagged point.
    for (KeyType type : List.of(KeyType.RSA, KeyType.ECDSA, KeyType.SECP256K1)) {
      assertThat(Decoding.check(input, KEY_DECODING, in -> new PublicKey(type, in), IllegalArgumentException.class))
          .isEqualTo(Outcome.REFUSED);
    }
  }
}
