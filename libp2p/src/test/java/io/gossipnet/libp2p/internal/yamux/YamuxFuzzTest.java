package io.gossipnet.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import io.gossipnet.testkit.fuzz.Mutations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing Yamux: the session ({@link YamuxSession}) decodes the 12-byte frame headers (version,
 * type, flags, stream ID, length), window updates, data within the receive window, pings and
 * go-away, on an in-memory channel. Whatever arrives, the session either keeps the connection open
 * or ends it the documented way, with a go-away carrying the protocol-error code and a close
 * reason on the channel; no exception escapes to the pipeline, and allocations stay within what
 * the input backs.
 */
class YamuxFuzzTest {
  private static final long EXCEPTION_SLACK = 64 * 1024;
  /** The in-memory channel, its pipeline and the session. */
  private static final long CHANNEL_SLACK = 64 * 1024;
  /**
   * Bytes allowed per input byte: a 12-byte SYN creates a stream (locks, queues, streams) and an
   * ACK frame, a 12-byte ping an answer; the stream limits bound the total.
   */
  private static final long PER_INPUT_BYTE = 128;
  private static final YamuxConfig DEFAULT = new YamuxConfig(256, 1024, 16 * 1024 * 1024, 64L * 1024 * 1024,
      Duration.ZERO);
  /** Small limits, so that inputs reach the stream limit and the buffer budget. */
  private static final YamuxConfig TIGHT = new YamuxConfig(3, 3, 1024 * 1024, 300, Duration.ZERO);

  static {
    // A protocol error is logged at WARN; a million of them would flood the report.
    System.setProperty("org.slf4j.simpleLogger.log." + YamuxSession.class.getName(), "error");
  }

  /** One frame as the session's own encoder ({@link YamuxSession#sendFrame}) writes it. */
  record Frame(int type, int flags, int id, int length, byte[] data) {
    static Frame data(int flags, int id, byte[] data) {
      return new Frame(YamuxSession.DATA, flags, id, data.length, data);
    }

    static Frame control(int type, int flags, int id, int length) {
      return new Frame(type, flags, id, length, null);
    }
  }

  // ---- generators ----

  @Provide
  Arbitrary<Integer> flags() {
    return Arbitraries.of(0, YamuxSession.SYN, YamuxSession.ACK, YamuxSession.FIN, YamuxSession.RST,
        YamuxSession.SYN | YamuxSession.FIN, YamuxSession.ACK | YamuxSession.FIN);
  }

  /** Stream IDs a listener sees from its dialer (odd), some of its own parity, and 0. */
  @Provide
  Arbitrary<Integer> streamIds() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 7).map(i -> 2 * i + 1)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 4).map(i -> 2 * i)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
  }

  /** Any well-formed frame: every header field in range, data frames carrying their payload. */
  @Provide
  Arbitrary<Frame> frames() {
    Arbitrary<Frame> data = Combinators.combine(flags(), streamIds(), Mutations.randomBytes(200))
        .as(Frame::data);
    Arbitrary<Frame> windowUpdate = Combinators.combine(flags(), streamIds(),
        Arbitraries.integers().between(0, 1 << 20))
        .as((f, id, n) -> Frame.control(YamuxSession.WINDOW_UPDATE, f, id, n));
    Arbitrary<Frame> ping = Combinators.combine(Arbitraries.of(YamuxSession.SYN, YamuxSession.ACK),
        Arbitraries.integers())
        .as((f, opaque) -> Frame.control(YamuxSession.PING, f, 0, opaque));
    Arbitrary<Frame> goAway = Arbitraries.of(0, 1, 2).map(code -> Frame.control(YamuxSession.GO_AWAY, 0, 0, code));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, data),
        net.jqwik.api.Tuple.of(3, windowUpdate),
        net.jqwik.api.Tuple.of(2, ping),
        net.jqwik.api.Tuple.of(1, goAway));
  }

  /** A dialer's conversation: streams opened with SYN, data, FIN; pings in between. */
  @Provide
  Arbitrary<Conversation> conversations() {
    Arbitrary<List<byte[]>> chunks = Mutations.randomBytes(300).list().ofMaxSize(4);
    return Combinators.combine(chunks.list().ofMinSize(1).ofMaxSize(5), Arbitraries.integers().list().ofMaxSize(3))
        .as(Conversation::new);
  }

  @Provide
  Arbitrary<byte[]> mutatedFrames() {
    Arbitrary<byte[]> sequences = frames().list().ofMinSize(1).ofMaxSize(8).map(YamuxFuzzTest::encode);
    Arbitrary<byte[]> conversations = conversations().map(c -> encode(c.frames()));
    return Mutations.of(Arbitraries.oneOf(sequences, conversations), 128);
  }

  @Provide
  Arbitrary<byte[]> mutatedHeaders() {
    return Mutations.of(frames().map(f -> encode(List.of(f))), 24);
  }

  @Provide
  Arbitrary<YamuxConfig> configs() {
    return Arbitraries.of(DEFAULT, TIGHT);
  }

  // ---- round trip: the generators produce valid input ----

  /** Streams of data chunks, and ping opaques. */
  record Conversation(List<List<byte[]>> streams, List<Integer> pings) {
    List<Frame> frames() {
      List<Frame> out = new ArrayList<>();
      for (int s = 0; s < streams.size(); s++) {
        int id = 2 * s + 1;
        out.add(Frame.control(YamuxSession.WINDOW_UPDATE, YamuxSession.SYN, id, 0));
        if (s < pings.size()) {
          out.add(Frame.control(YamuxSession.PING, YamuxSession.SYN, 0, pings.get(s)));
        }
        for (byte[] c : streams.get(s)) {
          out.add(Frame.data(0, id, c));
        }
        out.add(Frame.data(YamuxSession.FIN, id, new byte[0]));
      }
      for (int p = streams.size(); p < pings.size(); p++) {
        out.add(Frame.control(YamuxSession.PING, YamuxSession.SYN, 0, pings.get(p)));
      }
      return out;
    }

    Map<Integer, byte[]> expectedData() {
      Map<Integer, byte[]> out = new LinkedHashMap<>();
      for (int s = 0; s < streams.size(); s++) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        streams.get(s).forEach(b::writeBytes);
        out.put(2 * s + 1, b.toByteArray());
      }
      return out;
    }
  }

  @Property
  void aValidConversationDeliversEachStreamsDataAndAnswersEachPing(@ForAll("conversations") Conversation c)
      throws IOException {
    List<YamuxStream> inbound = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast(new YamuxSession(false, DEFAULT, inbound::add));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(encode(c.frames())));
      ch.checkException();
      assertThat(ch.isOpen()).isTrue();
      Map<Integer, byte[]> received = new LinkedHashMap<>();
      for (YamuxStream s : inbound) {
        received.put(s.id(), readToEnd(s.in()));
      }
      assertThat(received.keySet()).containsExactlyElementsOf(c.expectedData().keySet());
      c.expectedData().forEach((id, data) -> assertThat(received.get(id)).isEqualTo(data));
      List<Frame> answers = decode(drain(ch));
      List<Integer> pongs = answers.stream().filter(f -> f.type() == YamuxSession.PING)
          .peek(f -> assertThat(f.flags()).isEqualTo(YamuxSession.ACK))
          .map(Frame::length).toList();
      assertThat(pongs).containsExactlyElementsOf(c.pings());
      assertThat(answers).noneMatch(f -> f.type() == YamuxSession.GO_AWAY);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Property
  void aFrameDecodesToTheHeaderFieldsEncoded(@ForAll("frames") Frame f) {
    List<Frame> decoded = decode(encode(List.of(f)));
    assertThat(decoded).hasSize(1);
    Frame d = decoded.get(0);
    assertThat(List.of(d.type(), d.flags(), d.id(), d.length())).containsExactly(f.type(), f.flags(), f.id(), f.length());
    if (f.data() != null) {
      assertThat(d.data()).isEqualTo(f.data());
    }
  }

  // ---- the session fed hostile bytes ----

  @Property
  void aMutatedYamuxHeaderIsDecodedOrEndsTheConnectionWithGoAwayNeverCrashes(
      @ForAll("mutatedHeaders") byte[] input, @ForAll("configs") YamuxConfig config) {
    Statistics.collect(check(input, limit(input), in -> runSession(in, config, false), Libp2pException.class));
  }

  @Property
  void mutatedYamuxFramesAreDecodedOrEndTheConnectionWithGoAwayNeverCrash(
      @ForAll("mutatedFrames") byte[] input, @ForAll("configs") YamuxConfig config) {
    Statistics.collect(check(input, limit(input), in -> runSession(in, config, false), Libp2pException.class));
  }

  @Property
  void mutatedYamuxFramesToADialerAreDecodedOrEndTheConnectionWithGoAwayNeverCrash(
      @ForAll("mutatedFrames") byte[] input, @ForAll("configs") YamuxConfig config) {
    Statistics.collect(check(input, limit(input), in -> runSession(in, config, true), Libp2pException.class));
  }

  @Property
  void mutatedYamuxFramesArrivingInTwoReadsAreDecodedOrEndTheConnectionWithGoAwayNeverCrash(
      @ForAll("mutatedFrames") byte[] input, @ForAll("cuts") int cut) {
    Statistics.collect(check(input, limit(input), in -> {
      int at = in.length == 0 ? 0 : Math.floorMod(cut, in.length);
      return runSession(in, DEFAULT, false, at);
    }, Libp2pException.class));
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers();
  }

  // ---- helpers ----

  private static long limit(byte[] input) {
    return EXCEPTION_SLACK + CHANNEL_SLACK + PER_INPUT_BYTE * input.length;
  }

  /**
   * Runs a fresh session on {@code in} and checks how it ended: open, or closed with a reason and
   * a go-away with the protocol-error code as its last frame (then thrown as a Libp2pException, so
   * that the case counts as refused). Streams it accepted have the remote's parity.
   */
  static Integer runSession(byte[] in, YamuxConfig config, boolean client, int... cuts) throws IOException {
    List<YamuxStream> inbound = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast(new YamuxSession(client, config, inbound::add));
    try {
      int from = 0;
      for (int cut : cuts) {
        ch.writeInbound(Unpooled.wrappedBuffer(in, from, cut - from));
        from = cut;
      }
      if (ch.isOpen()) { // a closed connection reads nothing more
        ch.writeInbound(Unpooled.wrappedBuffer(in, from, in.length - from));
      }
      ch.checkException(); // nothing may reach the end of the pipeline as an exception
      List<Frame> sent = decode(drain(ch));
      String reason = ch.attr(ChannelReason.KEY).get();
      if (!ch.isOpen()) {
        assertThat(reason).as("close reason").isNotNull();
        assertThat(sent).isNotEmpty();
        Frame last = sent.get(sent.size() - 1);
        assertThat(List.of(last.type(), last.length())).containsExactly(YamuxSession.GO_AWAY, 1);
        throw new Libp2pException(reason);
      }
      assertThat(reason).isNull();
      for (YamuxStream s : inbound) {
        assertThat(s.inbound()).isTrue();
        assertThat(s.id() % 2 == 0).isEqualTo(client);
      }
      return inbound.size();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @SafeVarargs
  static <T> Outcome check(byte[] input, long limit, Decoding.Decoder<T> decoder,
      Class<? extends Throwable>... refusals) {
    try {
      return Decoding.check(input, limit, decoder, refusals);
    } catch (AssertionError e) {
      // The first run of a code path loads classes on this thread; a length-driven allocation repeats.
      if (e.getMessage() == null || !e.getMessage().startsWith("the decoder allocated")) {
        throw e;
      }
      return Decoding.check(input, limit, decoder, refusals);
    }
  }

  private static final EmbeddedChannel ENCODER = new EmbeddedChannel();
  private static final YamuxSession ENCODER_SESSION = new YamuxSession(true, DEFAULT, s -> { });

  static {
    ENCODER.pipeline().addLast(ENCODER_SESSION);
  }

  /** The frames as the session's own encoder writes them. */
  static synchronized byte[] encode(List<Frame> frames) {
    for (Frame f : frames) {
      ENCODER_SESSION.sendFrame(f.type(), f.flags(), f.id(), f.length(),
          f.data() == null ? null : Unpooled.wrappedBuffer(f.data()));
    }
    return drain(ENCODER);
  }

  /** Frames parsed from the spec's header layout (for what the session sends). */
  static List<Frame> decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    List<Frame> out = new ArrayList<>();
    while (b.remaining() >= YamuxSession.HEADER) {
      assertThat(b.get()).isEqualTo((byte) 0);
      int type = b.get() & 0xFF;
      int flags = b.getShort() & 0xFFFF;
      int id = b.getInt();
      int length = b.getInt();
      byte[] data = null;
      if (type == YamuxSession.DATA) {
        data = new byte[length];
        b.get(data);
      }
      out.add(new Frame(type, flags, id, length, data));
    }
    assertThat(b.remaining()).isZero();
    return out;
  }

  static byte[] drain(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Object o;
    while ((o = ch.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) o;
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      out.writeBytes(a);
    }
    return out.toByteArray();
  }

  static byte[] readToEnd(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
