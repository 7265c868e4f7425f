package io.gossipnet.libp2p.internal.mss;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import io.gossipnet.testkit.fuzz.Mutations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing multistream-select 1.0: the message decoder ({@link Multistream#read(ByteBuf)} and
 * {@link Multistream#read(InputStream)}), the blocking negotiation over a stream ({@link
 * Multistream#handle}, {@link Multistream#select}) and the connection handler ({@link
 * MultistreamHandler}) on an in-memory channel. Every input is either decoded or refused with a
 * {@link Libp2pException} (an {@link IOException}), and nothing allocates more than the input
 * backs.
 */
class MultistreamFuzzTest {
  /** Room for the exception (and its stack trace) a refusal creates. */
  private static final long EXCEPTION_SLACK = 64 * 1024;
  /** Room for an in-memory channel, its pipeline and the handler's answers. */
  private static final long CHANNEL_SLACK = 64 * 1024;
  private static final Set<String> SUPPORTED = Set.of("/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0");

  // ---- generators ----

  /** Protocol-ID-like texts: ASCII and some non-ASCII UTF-8, short enough to fit one message. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> any = Arbitraries.strings()
        .withCharRange(' ', '~')
        .withCharRange('\u00a0', '\u07ff')
        .ofMaxLength(200);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, any),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(Multistream.HEADER, Multistream.NA, "ls", "/noise",
            "/yamux/1.0.0", "/ipfs/id/1.0.0")));
  }

  @Provide
  Arbitrary<List<String>> messageLists() {
    return texts().list().ofMinSize(1).ofMaxSize(6);
  }

  /** Valid sequences of messages, encoded with {@link Multistream#encode(String...)}. */
  @Provide
  Arbitrary<byte[]> validMessages() {
    return messageLists().map(l -> Multistream.encode(l.toArray(String[]::new)));
  }

  @Provide
  Arbitrary<byte[]> mutatedMessages() {
    return Mutations.of(validMessages(), 64);
  }

  /** What a dialer sends a listener: the header, proposals (some unsupported, ls) and maybe a supported one. */
  @Provide
  Arbitrary<byte[]> mutatedListenerInput() {
    Arbitrary<List<String>> proposals = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of("/noise", "/yamux/1.0.0", "ls", "/unknown/1.0.0", "na")),
        net.jqwik.api.Tuple.of(1, texts())).list().ofMaxSize(5);
    Arbitrary<byte[]> valid = proposals.map(p -> {
      List<String> all = new ArrayList<>();
      all.add(Multistream.HEADER);
      all.addAll(p);
      return Multistream.encode(all.toArray(String[]::new));
    });
    return Mutations.of(valid, 64);
  }

  /** What a listener answers a dialer proposing /noise then /yamux/1.0.0: the header, na, an acceptance. */
  @Provide
  Arbitrary<byte[]> mutatedDialerInput() {
    List<byte[]> valid = List.of(
        Multistream.encode(Multistream.HEADER, "/noise"),
        Multistream.encode(Multistream.HEADER, Multistream.NA, "/yamux/1.0.0"),
        Multistream.encode(Multistream.HEADER, Multistream.NA, Multistream.NA),
        Multistream.encode(Multistream.HEADER));
    return Mutations.of(valid, 64);
  }

  // ---- round trips: the generators produce valid input ----

  @Property
  void aMessageSequenceDecodesToTheTextsEncoded(@ForAll("messageLists") List<String> texts) throws IOException {
    byte[] encoded = Multistream.encode(texts.toArray(String[]::new));
    assertThat(readAll(encoded)).containsExactlyElementsOf(texts);
    assertThat(readAllFromStream(encoded)).containsExactlyElementsOf(texts);
  }

  // ---- the message decoder ----

  @Property
  void aMutatedMessageSequenceIsDecodedOrRefusedNeverCrashes(@ForAll("mutatedMessages") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input), MultistreamFuzzTest::readAll, Libp2pException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aMutatedMessageSequenceOnAStreamIsDecodedOrRefusedNeverCrashes(@ForAll("mutatedMessages") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input), MultistreamFuzzTest::readAllFromStream, IOException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aPartialMessageLeavesTheReaderIndexWhereItWas(@ForAll("validMessages") byte[] valid,
      @ForAll("cutPoints") int cut) throws Libp2pException {
    int at = Math.floorMod(cut, valid.length);
    ByteBuf buf = Unpooled.wrappedBuffer(valid, 0, at);
    int messages = 0;
    while (true) {
      int before = buf.readerIndex();
      String msg = Multistream.read(buf);
      if (msg == null) {
        assertThat(buf.readerIndex()).isEqualTo(before);
        break;
      }
      messages++;
    }
    assertThat(messages).isLessThan(readAllUnchecked(valid).size() + 1);
  }

  @Provide
  Arbitrary<Integer> cutPoints() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE);
  }

  // ---- blocking negotiation over a stream ----

  @Property
  void aListenerOverAStreamSelectsAProtocolOrFailsWithAnIoException(@ForAll("mutatedListenerInput") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input) + 16 * 1024, in -> {
      String selected = Multistream.handle(new ByteArrayInputStream(in), new ByteArrayOutputStream(), SUPPORTED, 16);
      assertThat(SUPPORTED).contains(selected);
      return selected;
    }, IOException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aDialerOverAStreamGetsAnAcceptedProposalOrFailsWithAnIoException(@ForAll("mutatedDialerInput") byte[] input) {
    List<String> proposals = List.of("/noise", "/yamux/1.0.0");
    Outcome outcome = Decoding.check(input, limit(input), in -> {
      String selected = Multistream.select(new ByteArrayInputStream(in), new ByteArrayOutputStream(), proposals);
      assertThat(proposals).contains(selected);
      return selected;
    }, IOException.class);
    Statistics.collect(outcome);
  }

  // ---- the connection handler on an in-memory channel ----

  @Property
  void aListenerHandlerSelectsWaitsOrFailsWithALibp2pExceptionNeverAnythingElse(
      @ForAll("mutatedListenerInput") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input) + CHANNEL_SLACK, in -> {
      AtomicReference<String> selected = new AtomicReference<>();
      EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.listener(SUPPORTED, (ctx, p) -> selected.set(p)));
      try {
        writeInbound(ch, in);
        if (selected.get() != null) {
          assertThat(SUPPORTED).contains(selected.get());
          assertThat(ch.pipeline().get(MultistreamHandler.class)).isNull();
        }
        return selected.get();
      } finally {
        ch.finishAndReleaseAll();
      }
    }, Libp2pException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aDialerHandlerSelectsWaitsOrFailsWithALibp2pExceptionNeverAnythingElse(
      @ForAll("mutatedDialerInput") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input) + CHANNEL_SLACK, in -> {
      AtomicReference<String> selected = new AtomicReference<>();
      EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.dialer("/noise", (ctx, p) -> selected.set(p)));
      try {
        writeInbound(ch, in);
        if (selected.get() != null) {
          assertThat(selected.get()).isEqualTo("/noise");
        }
        return selected.get();
      } finally {
        ch.finishAndReleaseAll();
      }
    }, Libp2pException.class);
    Statistics.collect(outcome);
  }

  // ---- helpers ----


  private static long limit(byte[] input) {
    return EXCEPTION_SLACK + 8L * input.length;
  }

  /** Every complete message in {@code input} from the buffer decoder. */
  static List<String> readAll(byte[] input) throws Libp2pException {
    ByteBuf buf = Unpooled.wrappedBuffer(input);
    List<String> out = new ArrayList<>();
    String msg;
    while ((msg = Multistream.read(buf)) != null) {
      out.add(msg);
    }
    return out;
  }

  private static List<String> readAllUnchecked(byte[] input) {
    try {
      return readAll(input);
    } catch (Libp2pException e) {
      throw new AssertionError(e);
    }
  }

  /** Every message in {@code input} from the stream decoder, which must end at a message boundary. */
  static List<String> readAllFromStream(byte[] input) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    List<String> out = new ArrayList<>();
    while (in.available() > 0) {
      out.add(Multistream.read(in));
    }
    return out;
  }

  /** Writes {@code in} to the channel; a decoder failure is rethrown as its cause when that is a Libp2pException. */
  static void writeInbound(EmbeddedChannel ch, byte[] in) throws Libp2pException {
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(in));
      ch.checkException();
    } catch (DecoderException e) {
      if (e.getCause() instanceof Libp2pException l) {
        throw l;
      }
      throw e;
    }
  }
}
