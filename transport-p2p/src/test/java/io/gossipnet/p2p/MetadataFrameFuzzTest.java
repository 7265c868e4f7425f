package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import io.gossipnet.testkit.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzz properties of {@link MetadataFrame}, the 2-byte length + msgpack {@code map[string][]string}
 * of the P2P start-of-stream exchange, and of the acceptor's side of {@link MetadataExchange},
 * which reads and negotiates on it: each accepts or refuses with {@link MetadataException}, and
 * allocates little more than the input, whatever its msgpack headers declare.
 */
class MetadataFrameFuzzTest {
  /** Room for the exception (and its stack trace) a refusal builds. */
  private static final long EXCEPTION_ALLOWANCE = 64 * 1024;

  private static final MetadataExchange.Local ACCEPTOR = new MetadataExchange.Local(
      "tel-a", "acceptor", "mainnet-v1.0", List.of("ppzstd", "avvpack"), "2.2", List.of("2.2", "2.1"));

  /**
   * What decoding {@code n} bytes may cost: strings (up to 2 bytes a char for one byte of UTF-8),
   * the lists and map nodes around them (at least one input byte each), and the refusal.
   */
  private static long limitFor(int n) {
    return 16L * n + EXCEPTION_ALLOWANCE;
  }

  @Property
  void decodingAFrameAcceptsOrRefusesWithMetadataExceptionAndAllocatesLittle(@ForAll("frames") byte[] input) {
    Statistics.collect(Decoding.check(input, limitFor(input.length), MetadataFrame::decode, MetadataException.class));
  }

  @Property
  void readingAFrameFromAStreamAcceptsOrRefusesWithMetadataExceptionAndAllocatesLittle(
      @ForAll("frames") byte[] input) {
    Statistics.collect(Decoding.check(input, limitFor(input.length),
        b -> MetadataFrame.read(new ByteArrayInputStream(b)), MetadataException.class));
  }

  @Property
  void decodingMsgpackContentAcceptsOrRefusesWithMetadataExceptionAndAllocatesLittle(
      @ForAll("contents") byte[] input) {
    Statistics.collect(Decoding.check(input, limitFor(input.length),
        b -> MetadataFrame.decodeContent(b, 0, b.length), MetadataException.class));
  }

  @Property
  void aFrameTheDecoderAcceptsReEncodesToTheSameBytesOrAnEqualFrame(@ForAll("frames") byte[] input)
      throws MetadataException {
    MetadataFrame f;
    try {
      f = MetadataFrame.decode(input);
    } catch (MetadataException refused) {
      Statistics.collect(Outcome.REFUSED);
      return;
    }
    Statistics.collect(Outcome.ACCEPTED);
    assertThat(MetadataFrame.decode(f.encode())).isEqualTo(f);
  }

  @Property
  void everyFrameWithinTheLimitsReadsBackEqual(@ForAll("metadata") MetadataFrame f) throws IOException {
    byte[] encoded = f.encode();
    assertThat(MetadataFrame.decode(encoded)).isEqualTo(f);
    assertThat(MetadataFrame.read(new ByteArrayInputStream(encoded))).isEqualTo(f);
    assertThat(MetadataFrame.decode(encoded).encode()).isEqualTo(encoded);
  }

  @Property
  void theAcceptorNegotiatesOnADialersFrameOrRefusesItWithMetadataException(@ForAll("dialerFrames") byte[] input) {
    Statistics.collect(Decoding.check(input, limitFor(input.length) + 16 * 1024, b -> {
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      MetadataExchange.Result r = MetadataExchange.incoming(new ByteArrayInputStream(b), answer, ACCEPTOR);
      assertThat(ACCEPTOR.supportedVersions()).contains(r.version());
      assertThat(MetadataFrame.decode(answer.toByteArray()).version()).isEqualTo(r.version());
      return r.handshake(HandshakeIdentity.NONE, "peer");
    }, MetadataException.class));
  }

  @Property
  void aDialerAndAnAcceptorWithACommonVersionEachSettleOnOneBothSupport(@ForAll("locals") MetadataExchange.Local dialer)
      throws IOException {
    ByteArrayOutputStream dialerOut = new ByteArrayOutputStream();
    ByteArrayOutputStream acceptorOut = new ByteArrayOutputStream();
    // The dialer writes before it reads: let it write, then answer, then let it read the answer.
    try {
      MetadataExchange.outgoing(new ByteArrayInputStream(new byte[0]), dialerOut, dialer);
    } catch (MetadataException expected) {
      // no answer yet
    }
    MetadataExchange.Result accepted =
        MetadataExchange.incoming(new ByteArrayInputStream(dialerOut.toByteArray()), acceptorOut, ACCEPTOR);
    MetadataExchange.Result dialed = MetadataExchange.outgoing(
        new ByteArrayInputStream(acceptorOut.toByteArray()), new ByteArrayOutputStream(), dialer);
    // Each side negotiates on the frame it read (the seed's rule), so they may pick different
    // common versions when their preference orders differ; each pick is one both support.
    for (String v : List.of(dialed.version(), accepted.version())) {
      assertThat(dialer.supportedVersions()).contains(v);
      assertThat(ACCEPTOR.supportedVersions()).contains(v);
    }
    assertThat(MetadataFrame.decode(acceptorOut.toByteArray()).version()).isEqualTo(accepted.version());
    assertThat(accepted.peer()).isEqualTo(dialer.frame(dialer.protocolVersion()));
  }

  @Provide
  Arbitrary<MetadataFrame> metadata() {
    Arbitrary<String> name = Arbitraries.oneOf(
        Arbitraries.of(MetadataFrame.TELEMETRY_ID, MetadataFrame.INSTANCE_NAME, MetadataFrame.GENESIS,
            MetadataFrame.PEER_FEATURES, MetadataFrame.VERSION, MetadataFrame.ACCEPT_VERSION),
        text(24));
    Arbitrary<List<String>> values = Arbitraries.frequencyOf(
        Tuple.of(9, text(40).list().ofMaxSize(3)),
        Tuple.of(1, text(4).list().ofMaxSize(MetadataFrame.MAX_VALUES)));
    return Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.maps(name, values).ofMaxSize(8)),
            Tuple.of(1, Arbitraries.maps(text(6), text(4).list().ofMaxSize(2)).ofMaxSize(MetadataFrame.MAX_KEYS)))
        .map(MetadataFrame::of);
  }

  @Provide
  Arbitrary<MetadataExchange.Local> locals() {
    Arbitrary<List<String>> versions = Arbitraries.of("2.2", "2.1", "1.0", "3.0").list().uniqueElements()
        .ofMinSize(1).ofMaxSize(4).filter(v -> v.contains("2.2") || v.contains("2.1"));
    return Combinators.combine(text(20), text(20), Arbitraries.of("mainnet-v1.0", "testnet-v1.0"),
            Arbitraries.of("ppzstd", "avvpack", "x").list().ofMaxSize(3), Arbitraries.of("2.2", "2.1", ""), versions)
        .as(MetadataExchange.Local::new);
  }

  @Provide
  Arbitrary<byte[]> frames() {
    return Mutations.of(metadata().map(MetadataFrameFuzzTest::encode), 300);
  }

  @Provide
  Arbitrary<byte[]> contents() {
    return Mutations.of(metadata().map(f -> {
      byte[] e = encode(f);
      return java.util.Arrays.copyOfRange(e, 2, e.length);
    }), 300);
  }

  @Provide
  Arbitrary<byte[]> dialerFrames() {
    return Mutations.of(locals().map(l -> encode(l.frame(l.protocolVersion()))), 300);
  }

  private static Arbitrary<String> text(int max) {
    return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u04ff').withChars('\u25af', '\u4e2d')
        .ofMaxLength(max);
  }

  private static byte[] encode(MetadataFrame f) {
    try {
      return f.encode();
    } catch (MetadataException e) {
      throw new AssertionError(e);
    }
  }
}
