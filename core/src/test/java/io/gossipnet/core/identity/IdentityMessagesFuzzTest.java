package io.gossipnet.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.core.codec.MsgPackException;
import io.gossipnet.core.identity.IdentityChallengeScheme.Challenge;
import io.gossipnet.core.identity.IdentityChallengeScheme.ChallengeReply;
import io.gossipnet.core.identity.IdentityMessages.ChallengeBody;
import io.gossipnet.core.identity.IdentityMessages.ResponseBody;
import io.gossipnet.core.identity.IdentityMessages.SignedChallenge;
import io.gossipnet.core.identity.IdentityMessages.SignedResponse;
import io.gossipnet.core.identity.IdentityMessages.SignedVerification;
import io.gossipnet.core.identity.IdentityMessages.VerificationBody;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzz properties of the three identity-challenge messages (challenge, response, verification):
 * their msgpack decoders ({@link SignedChallenge#decode} and the others, package-private, hence
 * this test in core) and the scheme's entry points that take a peer's base64 header or {@code NI}
 * payload. Each either accepts or refuses with its declared exception ({@link MsgPackException}
 * for the decoders, {@link IdentityException} for the scheme), and allocates little beyond the
 * input. Core cannot use testkit's fuzz helpers (testkit depends on core), so the mutation and the
 * checks are the small local ones below.
 */
class IdentityMessagesFuzzTest {
  /** Room for the exception (and its stack trace) a refusal builds. */
  private static final long EXCEPTION_ALLOWANCE = 64 * 1024;
  /** Room for one Ed25519 verification and one signature (BouncyCastle's working arrays). */
  private static final long CRYPTO_ALLOWANCE = 64 * 1024;

  private static final String OUR_NAME = "relay.example.net:4160";
  private static final List<IdentityKeys> KEYS = List.of(
      IdentityKeys.fromSeed(filled(1)), IdentityKeys.fromSeed(filled(2)), IdentityKeys.fromSeed(filled(3)));
  private static final IdentityKeys OURS = KEYS.get(0);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  // ---- The msgpack decoders ---------------------------------------------------------------------

  @Property
  void aChallengeIsDecodedOrRefusedWithMsgPackException(@ForAll("challengeInputs") byte[] input) {
    Statistics.collect(check(input, 4L * input.length + EXCEPTION_ALLOWANCE, SignedChallenge::decode,
        MsgPackException.class));
  }

  @Property
  void aResponseIsDecodedOrRefusedWithMsgPackException(@ForAll("responseInputs") byte[] input) {
    Statistics.collect(check(input, 4L * input.length + EXCEPTION_ALLOWANCE, SignedResponse::decode,
        MsgPackException.class));
  }

  @Property
  void aVerificationIsDecodedOrRefusedWithMsgPackException(@ForAll("verificationInputs") byte[] input) {
    Statistics.collect(check(input, 4L * input.length + EXCEPTION_ALLOWANCE, SignedVerification::decode,
        MsgPackException.class));
  }

  @Property
  void everyChallengeReadsBackEqual(@ForAll("challenges") SignedChallenge m) throws MsgPackException {
    SignedChallenge back = SignedChallenge.decode(m.encode());
    assertThat(back.body().publicKey()).isEqualTo(m.body().publicKey());
    assertThat(back.body().challenge()).isEqualTo(m.body().challenge());
    assertThat(back.body().address()).isEqualTo(m.body().address());
    assertThat(back.signature()).isEqualTo(m.signature());
    assertThat(back.encode()).isEqualTo(m.encode());
  }

  @Property
  void everyResponseReadsBackEqual(@ForAll("responses") SignedResponse m) throws MsgPackException {
    SignedResponse back = SignedResponse.decode(m.encode());
    assertThat(back.body().publicKey()).isEqualTo(m.body().publicKey());
    assertThat(back.body().challenge()).isEqualTo(m.body().challenge());
    assertThat(back.body().responseChallenge()).isEqualTo(m.body().responseChallenge());
    assertThat(back.signature()).isEqualTo(m.signature());
    assertThat(back.encode()).isEqualTo(m.encode());
  }

  @Property
  void everyVerificationReadsBackEqual(@ForAll("verifications") SignedVerification m) throws MsgPackException {
    SignedVerification back = SignedVerification.decode(m.encode());
    assertThat(back.body().responseChallenge()).isEqualTo(m.body().responseChallenge());
    assertThat(back.signature()).isEqualTo(m.signature());
    assertThat(back.encode()).isEqualTo(m.encode());
  }

  @Provide
  Arbitrary<SignedChallenge> challenges() {
    Arbitrary<byte[]> address = Arbitraries.oneOf(
        Arbitraries.of(OUR_NAME, "", "10.0.0.1:4160", "r-1.algorand-mainnet.network:4160")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)),
        bytes(0, IdentityMessages.MAX_ADDRESS_LENGTH));
    return Combinators.combine(maybeZero(32), maybeZero(32), address, maybeZero(64))
        .as((pk, c, a, sig) -> new SignedChallenge(new ChallengeBody(pk, c, a), sig));
  }

  @Provide
  Arbitrary<SignedResponse> responses() {
    return Combinators.combine(maybeZero(32), maybeZero(32), maybeZero(32), maybeZero(64))
        .as((pk, c, rc, sig) -> new SignedResponse(new ResponseBody(pk, c, rc), sig));
  }

  @Provide
  Arbitrary<SignedVerification> verifications() {
    return Combinators.combine(maybeZero(32), maybeZero(64))
        .as((rc, sig) -> new SignedVerification(new VerificationBody(rc), sig));
  }

  @Provide
  Arbitrary<byte[]> challengeInputs() {
    return mutated(challenges().map(SignedChallenge::encode), 700);
  }

  @Provide
  Arbitrary<byte[]> responseInputs() {
    return mutated(responses().map(SignedResponse::encode), 300);
  }

  @Provide
  Arbitrary<byte[]> verificationInputs() {
    return mutated(verifications().map(SignedVerification::encode), 200);
  }

  // ---- The scheme's entry points (base64 headers and the NI payload) ----------------------------

  @Property
  void theAcceptorAnswersAChallengeHeaderOrRefusesItWithIdentityException(
      @ForAll("challengeHeaders") byte[] header) {
    Ed25519IdentityChallengeScheme acceptor = scheme(OURS);
    String value = new String(header, StandardCharsets.ISO_8859_1);
    Statistics.collect(check(header, 4L * header.length + EXCEPTION_ALLOWANCE + CRYPTO_ALLOWANCE,
        b -> acceptor.verifyRequestAndAttachResponse(value), IdentityException.class));
  }

  @Property
  void theDialerChecksAResponseHeaderOrRefusesItWithIdentityException(@ForAll("responseHeaders") Case c) {
    Ed25519IdentityChallengeScheme dialer = scheme(OURS);
    String value = new String(c.input(), StandardCharsets.ISO_8859_1);
    Statistics.collect(check(c.input(), 4L * c.input().length + EXCEPTION_ALLOWANCE + CRYPTO_ALLOWANCE,
        b -> dialer.verifyResponse(value, new Challenge("", c.challenge())), IdentityException.class));
  }

  @Property
  void theAcceptorChecksAVerificationPayloadOrRefusesItWithIdentityException(
      @ForAll("verificationPayloads") Case c) {
    Ed25519IdentityChallengeScheme acceptor = scheme(OURS);
    HandshakeIdentity.Pending pending = new HandshakeIdentity.Pending(c.publicKey(), c.challenge());
    Statistics.collect(check(c.input(), 4L * c.input().length + EXCEPTION_ALLOWANCE + CRYPTO_ALLOWANCE,
        b -> {
          acceptor.verifyVerificationMessage(b, pending);
          return null;
        },
        IdentityException.class));
  }

  @Property
  void aWholeChallengeExchangeBetweenTwoNodesVerifiesBothSides(
      @ForAll("keyPairs") Tuple.Tuple2<IdentityKeys, IdentityKeys> keys, @ForAll long seed) throws IdentityException {
    Ed25519IdentityChallengeScheme dialer = new Ed25519IdentityChallengeScheme(keys.get1(), List.of(), new Random(seed));
    Ed25519IdentityChallengeScheme acceptor =
        new Ed25519IdentityChallengeScheme(keys.get2(), List.of(OUR_NAME), new Random(~seed));
    Challenge sent = dialer.createChallenge(OUR_NAME.toUpperCase(java.util.Locale.ROOT));
    ChallengeReply reply = acceptor.verifyRequestAndAttachResponse(sent.headerValue());
    HandshakeIdentity.Pending pending = (HandshakeIdentity.Pending) reply.identity();
    assertThat(pending.peerPublicKey()).isEqualTo(keys.get1().publicKey());
    HandshakeIdentity.Verified verified =
        (HandshakeIdentity.Verified) dialer.verifyResponse(reply.headerValue(), sent);
    assertThat(verified.peerPublicKey()).isEqualTo(keys.get2().publicKey());
    assertThat(verified.responseChallenge()).isEqualTo(pending.responseChallenge());
    acceptor.verifyVerificationMessage(dialer.verificationMessage(verified.responseChallenge()), pending);
  }

  /** A fuzz input with what the receiving side expects: the challenge it sent, the peer's key. */
  record Case(byte[] input, byte[] challenge, byte[] publicKey) {
    @Override
    public String toString() {
      return HexFormat.of().formatHex(input);
    }
  }

  @Provide
  Arbitrary<Tuple.Tuple2<IdentityKeys, IdentityKeys>> keyPairs() {
    return Combinators.combine(Arbitraries.of(KEYS), Arbitraries.of(KEYS)).as(Tuple::of);
  }

  @Provide
  Arbitrary<byte[]> challengeHeaders() {
    // Signing is the slow part: valid messages come from a fixed pool, mutations vary them.
    List<byte[]> pool = new ArrayList<>();
    Random r = new Random(1);
    for (int i = 0; i < 48; i++) {
      String address = i % 3 == 0 ? "10.0.0." + i + ":4160" : i % 2 == 0 ? OUR_NAME.toUpperCase(java.util.Locale.ROOT) : OUR_NAME;
      ChallengeBody body = new ChallengeBody(KEYS.get(i % 3).publicKey(), random(r, 32), address.getBytes(StandardCharsets.UTF_8));
      pool.add(SignedChallenge.sign(body, KEYS.get(i % 3)).encode());
    }
    return base64Inputs(Arbitraries.of(pool), Function.identity(), 1100).map(Mutated::input);
  }

  @Provide
  Arbitrary<Case> responseHeaders() {
    List<Case> pool = new ArrayList<>();
    Random r = new Random(2);
    for (int i = 0; i < 48; i++) {
      byte[] c = random(r, 32);
      ResponseBody body = new ResponseBody(KEYS.get(i % 3).publicKey(), c, random(r, 32));
      pool.add(new Case(SignedResponse.sign(body, KEYS.get(i % 3)).encode(), c, null));
    }
    return base64Inputs(Arbitraries.of(pool), Case::input, 400)
        .map(t -> new Case(t.input(), ((Case) t.original()).challenge(), null));
  }

  @Provide
  Arbitrary<Case> verificationPayloads() {
    List<Case> pool = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < 48; i++) {
      byte[] rc = random(r, 32);
      pool.add(new Case(SignedVerification.sign(new VerificationBody(rc), KEYS.get(i % 3)).encode(), rc,
          KEYS.get(i % 3).publicKey()));
    }
    return Arbitraries.frequencyOf(
        Tuple.of(9, Combinators.combine(Arbitraries.of(pool), mutationSeeds())
            .as((c, m) -> new Case(m.apply(c.input()), c.challenge(), c.publicKey()))),
        Tuple.of(1, Arbitraries.of(pool)));
  }

  /** A mutated input and the valid value it came from. */
  record Mutated(byte[] input, Object original) {}

  /**
   * Header values: a valid header, the base64 of a mutated message (reaching the msgpack
   * decoder), a valid header mutated as text (reaching the base64 checks), or random bytes.
   */
  private static <T> Arbitrary<Mutated> base64Inputs(Arbitrary<T> valid, Function<T, byte[]> bytes, int maxRandom) {
    Base64.Encoder b64 = Base64.getEncoder();
    return Arbitraries.oneOf(
        valid.map(v -> new Mutated(b64.encode(bytes.apply(v)), v)),
        Combinators.combine(valid, mutationSeeds())
            .as((v, m) -> new Mutated(b64.encode(m.apply(bytes.apply(v))), v)),
        Combinators.combine(valid, mutationSeeds())
            .as((v, m) -> new Mutated(m.apply(b64.encode(bytes.apply(v))), v)),
        Combinators.combine(valid, bytes(0, maxRandom)).as((v, b) -> new Mutated(b, v)));
  }

  // ---- Local helpers ----------------------------------------------------------------------------

  /** What a decoder made of one input. */
  enum Outcome { ACCEPTED, REFUSED }

  /** A decoder of one input. */
  interface Decoder {
    Object decode(byte[] input) throws Exception;
  }

  /**
   * Decodes {@code input}; fails unless it returns or throws one of {@code refusals}, and unless
   * the current thread allocated at most {@code maxAllocated} bytes meanwhile. An input over the
   * limit is decoded once more: what the JVM allocates the first time a path runs (loading and
   * linking classes, {@code String.format}'s first use) does not repeat, what the input drives
   * does.
   */
  @SafeVarargs
  private static Outcome check(byte[] input, long maxAllocated, Decoder decoder, Class<? extends Throwable>... refusals) {
    long first = -1;
    for (int attempt = 0; ; attempt++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      Outcome outcome;
      try {
        decoder.decode(input);
        outcome = Outcome.ACCEPTED;
      } catch (Throwable t) {
        if (Arrays.stream(refusals).noneMatch(c -> c.isInstance(t))) {
          throw new AssertionError("undeclared " + t + " for " + HexFormat.of().formatHex(input), t);
        }
        outcome = Outcome.REFUSED;
      }
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      if (allocated <= maxAllocated) {
        return outcome;
      }
      if (attempt == 1) {
        throw new AssertionError("allocated " + first + " then " + allocated + " bytes, limit " + maxAllocated
            + ", for " + HexFormat.of().formatHex(input));
      }
      first = allocated;
    }
  }

  /**
   * Valid encodings (one in ten unchanged), mutated ones (1 to 3 changes: a flipped bit, a byte
   * set to a boundary or random value, a cut, an inserted or deleted byte, a length-like 0xff run),
   * and random bytes (one in ten).
   */
  private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> valid, int maxRandom) {
    return Arbitraries.frequencyOf(
        Tuple.of(8, Combinators.combine(valid, mutationSeeds()).as((v, m) -> m.apply(v))),
        Tuple.of(1, valid),
        Tuple.of(1, bytes(0, maxRandom)));
  }

  private static Arbitrary<Function<byte[], byte[]>> mutationSeeds() {
    return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.longs())
        .as((n, seed) -> in -> {
          Random r = new Random(seed);
          byte[] b = in;
          for (int i = 0; i < n; i++) {
            b = mutateOnce(b, r);
          }
          return b;
        });
  }

  private static byte[] mutateOnce(byte[] in, Random r) {
    if (in.length == 0) {
      return new byte[] {(byte) r.nextInt(256)};
    }
    int at = r.nextInt(in.length);
    byte[] b = in.clone();
    switch (r.nextInt(6)) {
      case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
      case 1 -> b[at] = new byte[] {0, 1, 0x7f, (byte) 0x80, (byte) 0xc0, (byte) 0xff}[r.nextInt(6)];
      case 2 -> {
        return Arrays.copyOf(in, at);
      }
      case 3 -> {
        byte[] out = new byte[in.length + 1];
        System.arraycopy(in, 0, out, 0, at);
        out[at] = (byte) r.nextInt(256);
        System.arraycopy(in, at, out, at + 1, in.length - at);
        return out;
      }
      case 4 -> {
        byte[] out = new byte[in.length - 1];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + 1, out, at, in.length - at - 1);
        return out;
      }
      default -> Arrays.fill(b, at, Math.min(b.length, at + 1 + r.nextInt(4)), (byte) 0xff);
    }
    return b;
  }

  private static Ed25519IdentityChallengeScheme scheme(IdentityKeys keys) {
    return new Ed25519IdentityChallengeScheme(keys, List.of(OUR_NAME), new Random(7));
  }

  private static Arbitrary<byte[]> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
  }

  /** {@code n} random bytes, or all zero (an omitted field) one time in five. */
  private static Arbitrary<byte[]> maybeZero(int n) {
    return Arbitraries.frequencyOf(Tuple.of(4, bytes(n, n)), Tuple.of(1, Arbitraries.just(n).map(byte[]::new)));
  }

  private static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
