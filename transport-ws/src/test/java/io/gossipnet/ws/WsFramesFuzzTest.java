package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageTooLargeException;
import io.gossipnet.core.spi.PayloadLimit;
import io.gossipnet.testkit.fuzz.Decoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.junit.jupiter.api.Test;

/**
 * Fuzz tests of {@link WsConnection}'s frame handling, in memory: a connection built as {@link
 * WsTransport} builds it, opened on a stub {@link CoreSession} that records demand, close codes and
 * pongs, is fed generated sequences of Jetty {@link Frame}s (messages of every size around their
 * tag's limit and the message limit, split into fragments, with pings between fragments, and
 * mutations: a missing or early fin, a fragment's opcode changed, text, close, pong and reserved
 * opcodes, a message shorter than its tag), only while it demands, as Jetty does. A reference
 * model of the documented rules says, frame by frame, what must happen: the messages delivered
 * (tag and bytes) and, at the first violation, the one close code (1009 over the limit, 1003 text,
 * 1002 out of sequence, 1007 shorter than a tag), the pongs, and whether the connection demands
 * again (the 128-message / 256 KiB read queue). Every onFrame call completes its callback exactly
 * once and never fails it, allocates at most twice its message's limit (plus a ping's copy and a
 * small constant, per the JVM's allocation counter), and the assembly buffer never grows past the
 * limit.
 *
 * <p>Jetty's own parser (frame-size limit, control-frame rules, sequence checks) sits in front of
 * this class on a real connection; here the frames reach {@code onFrame} without it, so the class's
 * own checks are fuzzed, including sequences Jetty would already refuse.
 */
class WsFramesFuzzTest {
  private static final int TAG_ZZ = tag("ZZ");
  private static final int TAG_AB = tag("AB");
  private static final int TAG_AA = tag("AA");
  private static final int TAG_TX = tag("TX");
  private static final int TAG_PR = tag("PR");
  /** The engine's limits: a few small ones, the rest unlimited (capped by the message limit). */
  private static final PayloadLimit LIMIT = code -> code == TAG_ZZ ? 1000 : code == TAG_AB ? 1 : code == TAG_AA ? 0 : code == TAG_TX ? 3000 : Integer.MAX_VALUE;
  private static final int[] MESSAGE_SIZES = {2, 3, 1002, 4098, 65_538};
  /** A fixed allowance per onFrame call: the close reason, exception, queue entry, stub bookkeeping. */
  private static final long OVERHEAD = 16 * 1024;
  private static final Field ASSEMBLY;

  static {
    try {
      ASSEMBLY = WsConnection.class.getDeclaredField("assembly");
      ASSEMBLY.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
    // Warm every path once (class loading and the first run of each string concatenation allocate
    // hundreds of KiB), so that is not counted against the first cases.
    for (int size : MESSAGE_SIZES) {
      for (List<Spec> frames : warmUps()) {
        try {
          run(new Case(size, frames, 1006), false);
        } catch (IOException e) {
          throw new ExceptionInInitializerError(e);
        }
      }
    }
  }

  /** One sequence per outcome and code path of onFrame. */
  private static List<List<Spec>> warmUps() {
    List<List<Spec>> all = new ArrayList<>();
    byte[] big = new byte[1200];
    big[0] = 'Z';
    big[1] = 'Z';
    all.add(List.of(new Spec(OpCode.BINARY, false, "ZZ".getBytes(), 0, 1), new Spec(OpCode.PING, true, new byte[3], 0, 0), new Spec(OpCode.PONG, true, new byte[1], 0, 0),
        new Spec(5, true, new byte[0], 0, 0), new Spec(OpCode.CONTINUATION, false, new byte[2], 0, 0), new Spec(OpCode.CONTINUATION, true, new byte[1200], 0, 0)));
    all.add(List.of(new Spec(OpCode.BINARY, true, big, 0, 0)));
    all.add(List.of(new Spec(OpCode.BINARY, true, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 0)));
    all.add(List.of(new Spec(OpCode.BINARY, true, new byte[] {'Z'}, 0, 0)));
    all.add(List.of(new Spec(OpCode.BINARY, false, new byte[] {'Z'}, 0, 0), new Spec(OpCode.BINARY, true, new byte[] {'Z'}, 0, 0)));
    all.add(List.of(new Spec(OpCode.CONTINUATION, true, new byte[] {'Z'}, 0, 0)));
    all.add(List.of(new Spec(OpCode.TEXT, true, new byte[] {'Z'}, 0, 0)));
    all.add(List.of(new Spec(OpCode.CLOSE, true, new byte[] {3, (byte) 0xe8}, 0, 0)));
    all.add(List.of(new Spec(OpCode.BINARY, false, new byte[0], 0, 0), new Spec(OpCode.CONTINUATION, false, new byte[0], 3, 1), new Spec(OpCode.PING, true, new byte[0], 0, 0),
        new Spec(OpCode.CONTINUATION, false, "ZZ".getBytes(), 2, 1), new Spec(OpCode.CONTINUATION, true, new byte[0], 0, 0)));
    return all;
  }

  private static int tag(String s) {
    return (s.charAt(0) << 8) | s.charAt(1);
  }

  /**
   * One generated frame: its opcode, fin flag and payload; {@code offset} puts the payload at a
   * position other than 0 in its buffer and {@code direct} (1) in a direct buffer, as Jetty's
   * buffers may be.
   */
  record Spec(int opcode, boolean fin, byte[] payload, int offset, int direct) {
    Frame frame() {
      ByteBuffer b;
      if (direct == 1) {
        b = ByteBuffer.allocateDirect(offset + payload.length);
        b.position(offset);
        b.put(payload).flip().position(offset);
      } else {
        byte[] bigger = new byte[offset + payload.length];
        System.arraycopy(payload, 0, bigger, offset, payload.length);
        b = ByteBuffer.wrap(bigger, offset, payload.length);
      }
      return new Frame((byte) opcode, fin, payload.length == 0 && offset == 0 ? null : b);
    }

    @Override
    public String toString() {
      return OpCode.name((byte) opcode) + (fin ? "" : "(no fin)") + "[" + payload.length + (payload.length > 0 ? " " + Decoding.hex(Arrays.copyOf(payload, Math.min(4, payload.length))) : "") + "]";
    }
  }

  /** A sequence of frames for a connection with this message limit, ended by a close with {@code endCode}. */
  record Case(int maxMessageSize, List<Spec> frames, int endCode) {}

  // ---------------------------------------------------------------- the stub session

  /** Records what the connection asks of its session; delivers nothing by itself. */
  static final class StubSession extends CoreSession.Empty {
    boolean demanded;
    Runnable onDemand;
    final List<Integer> closes = new ArrayList<>();
    final List<byte[]> pongs = new ArrayList<>();

    @Override
    public void demand() {
      demanded = true;
      Runnable r = onDemand;
      if (r != null) {
        onDemand = null;
        demanded = false;
        r.run();
      }
    }

    @Override
    public void close(int statusCode, String reason, Callback callback) {
      closes.add(statusCode);
      callback.succeeded();
    }

    @Override
    public void sendFrame(Frame frame, Callback callback, boolean batch) {
      record(frame);
      callback.succeeded();
    }

    @Override
    public void sendFrame(OutgoingEntry entry) {
      record(entry.getFrame());
      entry.getCallback().succeeded();
    }

    private void record(Frame f) {
      if (f.getOpCode() == OpCode.PONG) {
        byte[] p = new byte[f.getPayloadLength()];
        if (f.hasPayload()) {
          f.getPayload().slice().get(p);
        }
        pongs.add(p);
      }
    }
  }

  /** Counts how a frame's callback was completed. */
  static final class Counting implements Callback {
    int succeeded;
    int failed;
    Throwable failure;

    @Override
    public void succeeded() {
      succeeded++;
    }

    @Override
    public void failed(Throwable x) {
      failed++;
      failure = x;
    }
  }

  // ---------------------------------------------------------------- the model

  /** The documented rules, frame by frame. */
  static final class Model {
    final int maxMessagePayload;
    boolean inMessage;
    int tagBytes;
    int tagCode;
    int maxPayload;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    final ArrayDeque<InboundMessage> queued = new ArrayDeque<>();
    long queuedBytes;
    int closeCode;
    boolean peerClosed;
    final List<byte[]> pongs = new ArrayList<>();
    int delivered;

    Model(int maxMessageSize) {
      this.maxMessagePayload = maxMessageSize - 2;
    }

    boolean ended() {
      return closeCode != 0 || peerClosed;
    }

    boolean hasRoom() {
      return queued.size() < WsConnection.MAX_QUEUED && queuedBytes < WsConnection.MAX_QUEUED_BYTES;
    }

    /** Whether the connection must demand after this frame. */
    boolean demands() {
      return !ended() && (inMessage || hasRoom());
    }

    /** The most an onFrame call for this frame may allocate, once the model has taken it. */
    long allocationBound(Spec s) {
      long message = inMessage || s.opcode() == OpCode.BINARY || s.opcode() == OpCode.CONTINUATION ? Math.max(0, maxPayload) : 0;
      return 2 * message + (s.opcode() == OpCode.PING ? 2L * s.payload().length : 0) + OVERHEAD;
    }

    void step(Spec s) {
      switch (s.opcode()) {
        case OpCode.BINARY -> {
          if (inMessage) {
            closeCode = CloseStatus.PROTOCOL;
            return;
          }
          inMessage = true;
          tagBytes = 0;
          tagCode = 0;
          maxPayload = 0;
          buf = new ByteArrayOutputStream();
          payload(s);
        }
        case OpCode.CONTINUATION -> {
          if (!inMessage) {
            closeCode = CloseStatus.PROTOCOL;
            return;
          }
          payload(s);
        }
        case OpCode.TEXT -> closeCode = CloseStatus.BAD_DATA;
        case OpCode.PING -> pongs.add(s.payload());
        case OpCode.CLOSE -> peerClosed = true;
        default -> {}
      }
    }

    private void payload(Spec s) {
      byte[] p = s.payload();
      int i = 0;
      while (tagBytes < 2 && i < p.length) {
        tagCode = (tagCode << 8) | (p[i++] & 0xff);
        tagBytes++;
        if (tagBytes == 2) {
          maxPayload = Math.min(LIMIT.maxPayload(tagCode), maxMessagePayload);
        }
      }
      int add = p.length - i;
      if (add > 0) {
        if ((long) buf.size() + add > maxPayload) {
          closeCode = CloseStatus.MESSAGE_TOO_LARGE;
          return;
        }
        buf.write(p, i, add);
      }
      if (!s.fin()) {
        return;
      }
      inMessage = false;
      if (tagBytes < 2) {
        closeCode = CloseStatus.BAD_PAYLOAD;
        return;
      }
      byte[] data = buf.toByteArray();
      queued.addLast(new InboundMessage(tagCode, data));
      queuedBytes += data.length;
      delivered++;
    }
  }

  // ---------------------------------------------------------------- the harness

  /** What one case came to, for the statistics. */
  record Outcome(int closeCode, int delivered, boolean suspended) {
    String label() {
      return closeCode == 0 ? "delivered/kept open" : "closed " + closeCode;
    }
  }

  private static Outcome run(Case c, boolean assertAll) throws IOException {
    StubSession session = new StubSession();
    WsConnection conn = new WsConnection(false, "http://127.0.0.1:1", "127.0.0.1", 8, c.maxMessageSize());
    Counting opened = new Counting();
    conn.onOpen(session, opened);
    Model model = new Model(c.maxMessageSize());
    // The engine's first read sets the limit and starts demand; a priming message (tag PR, no
    // payload) is delivered on that demand, as Jetty may deliver a frame from inside demand().
    Counting primed = new Counting();
    session.onDemand = () -> conn.onFrame(new Frame(OpCode.BINARY, true, ByteBuffer.wrap(new byte[] {'P', 'R'})), primed);
    InboundMessage first = conn.read(LIMIT);
    if (assertAll) {
      assertThat(first.tagCode()).isEqualTo(TAG_PR);
      assertThat(primed.succeeded).isEqualTo(1);
      assertThat(session.demanded).isTrue();
    }
    boolean suspended = false;
    List<InboundMessage> read = new ArrayList<>();
    for (Spec s : c.frames()) {
      if (model.ended()) {
        break;
      }
      while (!session.demanded && !model.queued.isEmpty()) {
        // No demand: only because the read queue is full; the engine's reads make room, and the
        // connection demands again once one has (one read of a small message may not: a queue
        // over its byte limit with large messages stays over it).
        suspended = true;
        if (assertAll) {
          assertThat(model.hasRoom()).as("stopped demanding with room in the queue").isFalse();
        }
        InboundMessage m = conn.read(LIMIT);
        read.add(m);
        InboundMessage expected = model.queued.pollFirst();
        model.queuedBytes -= expected.payload().length;
        if (assertAll) {
          assertSame(m, expected);
          assertThat(session.demanded).as("demand once a read made room, and only then").isEqualTo(model.hasRoom());
        }
      }
      session.demanded = false;
      model.step(s);
      Counting cb = new Counting();
      Frame f = s.frame();
      try {
        Decoding.check(s.payload(), assertAll ? model.allocationBound(s) : Long.MAX_VALUE, in -> {
          conn.onFrame(f, cb);
          return null;
        });
      } catch (AssertionError e) {
        throw new AssertionError("onFrame(" + s + ") with message limit " + c.maxMessageSize() + ": " + e.getMessage(), e);
      }
      if (assertAll) {
        assertThat(cb.failed).as("callback failed with %s", cb.failure).isZero();
        assertThat(cb.succeeded).as("callback completions").isEqualTo(1);
        assertThat(session.closes).as("close codes after %s", s).isEqualTo(model.closeCode == 0 ? List.of() : List.of(model.closeCode));
        assertThat(session.demanded).as("demand after %s", s).isEqualTo(model.demands());
        byte[] assembly = assembly(conn);
        if (assembly != null) {
          assertThat(assembly.length).as("assembly buffer").isLessThanOrEqualTo(Math.max(0, model.maxPayload));
        }
      }
    }
    if (assertAll) {
      assertThat(session.pongs).hasSize(model.pongs.size());
      for (int i = 0; i < model.pongs.size(); i++) {
        assertThat(session.pongs.get(i)).isEqualTo(model.pongs.get(i));
      }
    }
    // Jetty ends the session: with our close code, the peer's, or abnormally.
    int end = model.closeCode != 0 ? model.closeCode : c.endCode();
    conn.onClosed(new CloseStatus(end), new Counting());
    IOException failure = null;
    while (true) {
      InboundMessage m;
      try {
        m = conn.read(LIMIT);
      } catch (IOException e) {
        failure = e;
        break;
      }
      if (m == null) {
        break;
      }
      read.add(m);
      InboundMessage expected = model.queued.pollFirst();
      if (assertAll) {
        assertThat(expected).as("a message the model did not deliver: %s", m).isNotNull();
        assertSame(m, expected);
      }
    }
    if (assertAll) {
      assertThat(model.queued).as("messages not delivered").isEmpty();
      boolean orderly = end == CloseStatus.NORMAL || end == CloseStatus.SHUTDOWN;
      if (model.closeCode == CloseStatus.MESSAGE_TOO_LARGE) {
        assertThat(failure).isInstanceOf(MessageTooLargeException.class);
      } else if (model.closeCode != 0 || !orderly) {
        assertThat(failure).isNotNull();
      } else {
        assertThat(failure).isNull();
      }
    }
    return new Outcome(model.closeCode, model.delivered, suspended);
  }

  private static void assertSame(InboundMessage actual, InboundMessage expected) {
    assertThat(actual.tagCode()).isEqualTo(expected.tagCode());
    assertThat(actual.payload()).isEqualTo(expected.payload());
  }

  private static byte[] assembly(WsConnection conn) {
    try {
      return (byte[]) ASSEMBLY.get(conn);
    } catch (IllegalAccessException e) {
      return fail("cannot read the assembly buffer", e);
    }
  }

  // ---------------------------------------------------------------- generators

  private static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed + i * 31);
    }
    return b;
  }

  /** A tag: one with a small limit, an unlimited one, random bytes, or none / one byte (shorter than a tag). */
  private static Arbitrary<byte[]> tags() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("ZZ", "AB", "AA", "TX", "QQ").map(String::getBytes)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(2)),
        Tuple.of(1, Arbitraries.of(new byte[0], new byte[] {'Z'})));
  }

  private static int effectiveLimit(byte[] tag, int maxMessageSize) {
    return tag.length < 2 ? 0 : Math.min(LIMIT.maxPayload(tag(new String(tag, java.nio.charset.StandardCharsets.ISO_8859_1))), maxMessageSize - 2);
  }

  /** One message, as frames: tag + payload of a length around its limit, cut into fragments, maybe with pings between. */
  private static Arbitrary<List<Spec>> message(int maxMessageSize) {
    return tags().flatMap(tag -> {
      int limit = effectiveLimit(tag, maxMessageSize);
      Arbitrary<Integer> length = Arbitraries.frequencyOf(
          Tuple.of(4, Arbitraries.of(Math.max(0, limit - 1), limit, limit + 1)),
          Tuple.of(3, Arbitraries.integers().between(0, 8)),
          Tuple.of(2, Arbitraries.integers().between(0, Math.min(limit + 10, 70_000))),
          Tuple.of(1, Arbitraries.integers().between(0, maxMessageSize + 10)));
      return Combinators.combine(length, Arbitraries.integers().between(1, 5), Arbitraries.longs(), Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 1))
          .as((len, pieces, seed, pings, direct) -> {
            byte[] all = new byte[tag.length + len];
            System.arraycopy(tag, 0, all, 0, tag.length);
            System.arraycopy(pattern(len, seed.intValue()), 0, all, tag.length, len);
            java.util.Random r = new java.util.Random(seed);
            int[] cuts = new int[pieces + 1];
            cuts[pieces] = all.length;
            for (int i = 1; i < pieces; i++) {
              cuts[i] = r.nextInt(all.length + 1);
            }
            Arrays.sort(cuts, 1, pieces);
            List<Spec> frames = new ArrayList<>();
            for (int i = 0; i < pieces; i++) {
              frames.add(new Spec(i == 0 ? OpCode.BINARY : OpCode.CONTINUATION, i == pieces - 1, Arrays.copyOfRange(all, cuts[i], cuts[i + 1]), r.nextInt(3) == 0 ? r.nextInt(5) : 0, direct));
              if (i < pieces - 1 && pings > 3) {
                frames.add(new Spec(OpCode.PING, true, pattern(r.nextInt(126), i), 0, 0));
              }
            }
            return frames;
          });
    });
  }

  /** A frame a well-behaved peer would not send at this point, or a control frame. */
  private static Arbitrary<Spec> stray() {
    Arbitrary<Integer> opcode = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of((int) OpCode.PING, (int) OpCode.PONG)),
        Tuple.of(2, Arbitraries.of((int) OpCode.CONTINUATION, (int) OpCode.BINARY)),
        Tuple.of(1, Arbitraries.of((int) OpCode.TEXT, (int) OpCode.CLOSE)),
        Tuple.of(1, Arbitraries.of(3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF)));
    return Combinators.combine(opcode, Arbitraries.of(true, false), Arbitraries.integers().between(0, 130), Arbitraries.integers())
        .as((op, fin, len, seed) -> new Spec(op, fin, pattern(len, seed), 0, 0));
  }

  /** A mutation of a message's frames: fin dropped or set early, an opcode changed. */
  private static List<Spec> mutate(List<Spec> frames, int how, int at) {
    List<Spec> out = new ArrayList<>(frames);
    int i = Math.floorMod(at, out.size());
    Spec s = out.get(i);
    switch (how) {
      case 0 -> out.set(i, new Spec(s.opcode(), !s.fin(), s.payload(), s.offset(), s.direct()));
      case 1 -> out.set(i, new Spec(s.opcode() == OpCode.BINARY ? OpCode.CONTINUATION : OpCode.BINARY, s.fin(), s.payload(), s.offset(), s.direct()));
      case 2 -> out.set(i, new Spec(OpCode.TEXT, s.fin(), s.payload(), s.offset(), s.direct()));
      default -> out.remove(i);
    }
    return out;
  }

  private static Arbitrary<List<Spec>> step(int maxMessageSize) {
    return Arbitraries.frequencyOf(
        Tuple.of(12, message(maxMessageSize)),
        Tuple.of(3, Combinators.combine(message(maxMessageSize), Arbitraries.integers().between(0, 3), Arbitraries.integers()).as(WsFramesFuzzTest::mutate)),
        Tuple.of(2, stray().map(List::of)));
  }

  private static Arbitrary<Case> cases(int maxSteps) {
    return Arbitraries.of(Arrays.stream(MESSAGE_SIZES).boxed().toList()).flatMap(size ->
        Combinators.combine(step(size).list().ofMinSize(1).ofMaxSize(maxSteps), Arbitraries.of(1000, 1001, 1006))
            .as((steps, end) -> new Case(size, steps.stream().flatMap(List::stream).toList(), end)));
  }

  @Provide
  Arbitrary<Case> frameSequences() {
    // Edge cases of these nested generators number in the millions, of large frames: none.
    return cases(12).withoutEdgeCases();
  }

  /** Long runs of small valid messages, to fill the 128-message / 256 KiB read queue. */
  @Provide
  Arbitrary<Case> queueFillers() {
    Arbitrary<List<Spec>> small = Combinators.combine(Arbitraries.of("QQ", "TX", "ZZ"), Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(0, 16)), Tuple.of(1, Arbitraries.of(999, 1000, 4095, 4096))), Arbitraries.integers(), Arbitraries.of(true, false))
        .as((tag, wanted, seed, split) -> {
          // Within the tag's limit: these messages must all be delivered.
          int len = Math.min(wanted, effectiveLimit(tag.getBytes(), 4098));
          byte[] all = new byte[2 + len];
          all[0] = (byte) tag.charAt(0);
          all[1] = (byte) tag.charAt(1);
          System.arraycopy(pattern(len, seed), 0, all, 2, len);
          return split && all.length > 1
              ? List.of(new Spec(OpCode.BINARY, false, Arrays.copyOf(all, 1), 0, 0), new Spec(OpCode.CONTINUATION, true, Arrays.copyOfRange(all, 1, all.length), 0, 0))
              : List.of(new Spec(OpCode.BINARY, true, all, 0, 0));
        });
    return Combinators.combine(small.list().ofMinSize(100).ofMaxSize(300), Arbitraries.of(4098, 65_538))
        .as((steps, size) -> new Case(size, steps.stream().flatMap(List::stream).toList(), CloseStatus.NORMAL))
        .withoutEdgeCases();
  }

  // ---------------------------------------------------------------- properties

  /**
   * Runs a case; when a frame allocated past its bound, runs the same case again on a fresh
   * connection and fails only if it does again: the JVM's one-time costs (linking a call site,
   * resolving a constant on a path first taken here) are not the connection's.
   */
  private static Outcome runTwiceOnAllocation(Case c) throws IOException {
    try {
      return run(c, true);
    } catch (AssertionError e) {
      if (String.valueOf(e.getMessage()).contains("the decoder allocated")) {
        Outcome o = run(c, true);
        Statistics.label("jvm one-off allocation, passed again").collect(true);
        return o;
      }
      throw e;
    }
  }

  @Property
  void anyFrameSequenceIsDeliveredWithinTheLimitsOrClosedWithTheDocumentedCode(@ForAll("frameSequences") Case c) throws IOException {
    Outcome o = runTwiceOnAllocation(c);
    Statistics.label("outcome").collect(o.label());
    Statistics.label("messages delivered").collect(o.delivered() == 0 ? "0" : o.delivered() < 4 ? "1-3" : "4+");
    Statistics.label("message limit").collect(c.maxMessageSize());
  }

  @Property
  void aFullReadQueueStopsDemandUntilTheEngineReads(@ForAll("queueFillers") Case c) throws IOException {
    Outcome o = runTwiceOnAllocation(c);
    assertThat(o.closeCode()).isZero();
    Statistics.label("outcome").collect(o.label());
    Statistics.label("demand").collect(o.suspended() ? "suspended and resumed" : "never suspended");
  }

  // ---------------------------------------------------------------- fixed cases

  @Test
  void aMessageOverItsTagLimitAcrossFragmentsClosesWith1009() throws IOException {
    Outcome o = run(new Case(4098, List.of(new Spec(OpCode.BINARY, false, new byte[] {'Z'}, 0, 0), new Spec(OpCode.CONTINUATION, false, new byte[] {'Z', 1}, 0, 0), new Spec(OpCode.CONTINUATION, true, new byte[1000], 0, 0)), CloseStatus.NORMAL), true);
    assertThat(o.closeCode()).isEqualTo(1009);
  }

  @Test
  void aMessageAtTheMessageLimitSplitAroundTheTagIsDelivered() throws IOException {
    byte[] rest = pattern(4096, 3);
    rest[0] = 'Q';
    Outcome o = run(new Case(4098, List.of(new Spec(OpCode.BINARY, false, new byte[] {'Q'}, 0, 1), new Spec(OpCode.PING, true, new byte[0], 0, 0), new Spec(OpCode.CONTINUATION, true, Arrays.copyOf(rest, 4097), 2, 1)), CloseStatus.NORMAL), true);
    assertThat(o.closeCode()).isZero();
    assertThat(o.delivered()).isEqualTo(1);
  }
}
