package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageTooLargeException;
import io.gossipnet.core.spi.PayloadLimit;
import io.gossipnet.p2p.FrameException.Reason;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import io.gossipnet.testkit.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Fuzz properties of {@link MessageFrames}, the 4-byte length + tag + payload framing of gossip
 * messages on a P2P stream: reading a stream of frames returns messages or refuses with {@link
 * FrameException} or {@link MessageTooLargeException}, and allocates no more than the bytes the
 * stream actually holds plus the {@value MessageFrames#EXACT_ALLOCATION_LIMIT}-byte buffer it may
 * allocate at once, whatever the length prefixes declare.
 */
class P2PFramesFuzzTest {
  /** Room for the exception (and its stack trace) a refusal builds. */
  private static final long EXCEPTION_ALLOWANCE = 64 * 1024;

  /** The engine's rule ({@code NetworkEngine}): a tag's own limit, the frame limit for others. */
  private static final PayloadLimit ENGINE_LIMIT = code -> {
    Tag t = Tags.defaults().lookup(code);
    return t == null || t.maxPayloadSize() == 0 ? Tags.MAX_MESSAGE_LENGTH : t.maxPayloadSize();
  };

  /** Bytes a stream of {@code n} bytes may cost to read, whatever its length prefixes say. */
  private static long limitFor(int n) {
    return 2L * n + MessageFrames.EXACT_ALLOCATION_LIMIT + EXCEPTION_ALLOWANCE;
  }

  @Property
  void readingFramesReturnsMessagesOrRefusesThemAndCostsOnlyTheBytesPresent(@ForAll("streams") byte[] input) {
    Outcome outcome = Decoding.check(input, limitFor(input.length), P2PFramesFuzzTest::readAll,
        FrameException.class, MessageTooLargeException.class);
    Statistics.collect(outcome);
  }

  @Property
  void readingWholeMessagesReturnsThemOrRefusesWithFrameExceptionAndCostsOnlyTheBytesPresent(
      @ForAll("streams") byte[] input) {
    Outcome outcome = Decoding.check(input, limitFor(input.length), b -> {
      ByteArrayInputStream in = new ByteArrayInputStream(b);
      while (MessageFrames.readMessage(in) != null) {
        // next frame
      }
      return null;
    }, FrameException.class);
    Statistics.collect(outcome);
  }

  @Property
  void everyWrittenStreamOfMessagesReadsBackInOrderThenEndsCleanly(@ForAll("messageLists") List<byte[]> messages)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageFrames.writeAll(out, messages);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    ByteArrayInputStream again = new ByteArrayInputStream(out.toByteArray());
    for (byte[] m : messages) {
      InboundMessage read = MessageFrames.read(in, ENGINE_LIMIT);
      assertThat(read.tagCode()).isEqualTo(Tag.code(m[0], m[1]));
      assertThat(read.payload()).isEqualTo(java.util.Arrays.copyOfRange(m, 2, m.length));
      assertThat(MessageFrames.readMessage(again)).isEqualTo(m);
    }
    assertThat(MessageFrames.read(in, ENGINE_LIMIT)).isNull();
    assertThat(MessageFrames.readMessage(again)).isNull();
  }

  @Property
  void aPayloadOverItsTagsLimitIsRefusedBeforeItIsRead(@ForAll("smallTags") Tag tag, @ForAll("excess") int excess) {
    int payload = Math.min(tag.maxPayloadSize() + excess, MessageFrames.MAX_FRAME_LENGTH - 2);
    byte[] head = MessageFrames.encode(new byte[] {tag.firstByte(), tag.secondByte()});
    int length = payload + 2;
    head[0] = (byte) (length >>> 24);
    head[1] = (byte) (length >>> 16);
    head[2] = (byte) (length >>> 8);
    head[3] = (byte) length;
    MessageFramesTest.CountingInput in = new MessageFramesTest.CountingInput(concat(head, new byte[16]));
    assertThatThrownBy(() -> MessageFrames.read(in, ENGINE_LIMIT))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("at most " + tag.maxPayloadSize());
    assertThat(in.consumed()).isEqualTo(MessageFrames.LENGTH_PREFIX + 2);
  }

  /**
   * A peer announcing 7 MiB (over the 6 MiB frame limit) and then sending nothing more is refused
   * as soon as the prefix is read: the reader neither waits for the rest nor reads the tag. (The
   * existing {@code MessageFramesTest.aLengthOver6MiBFailsBeforeAllocating} shows the same for
   * {@code readMessage} on a stream that ends; this one is the engine's {@code read} on a stream
   * that stays open.)
   */
  @Test
  void aLengthPrefixOverTheLimitIsRefusedAtThePrefix() {
    CountDownLatch never = new CountDownLatch(1);
    byte[] head = HexFormat.of().parseHex("00700000" + "5458" + "0102");
    InputStream blocking = new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        if (pos < head.length) {
          return head[pos++] & 0xff;
        }
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted");
        }
        return -1;
      }
    };
    try {
      FrameException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
          () -> MessageFramesTest.expectFrame(() -> MessageFrames.read(blocking, ENGINE_LIMIT)));
      assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
      assertThat(e).hasMessageContaining("7340032").hasMessageContaining("at most " + MessageFrames.MAX_FRAME_LENGTH);
    } finally {
      never.countDown();
    }
  }

  private static Object readAll(byte[] b) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(b);
    List<InboundMessage> out = new ArrayList<>();
    for (InboundMessage m; (m = MessageFrames.read(in, ENGINE_LIMIT)) != null; ) {
      out.add(m);
    }
    return out;
  }

  @Provide
  Arbitrary<byte[]> message() {
    List<Tag> tags = new ArrayList<>(Tags.defaults().all());
    tags.add(Tag.of("ZZ", 10, false, false));
    Arbitrary<byte[]> payload = Arbitraries.frequencyOf(
        Tuple.of(95, Mutations.randomBytes(80)),
        Tuple.of(5, Mutations.randomBytes(1300)));
    return Combinators.combine(Arbitraries.of(tags), payload)
        .as((t, p) -> concat(new byte[] {t.firstByte(), t.secondByte()}, p))
        .filter(m -> m.length - 2 <= ENGINE_LIMIT.maxPayload(Tag.code(m[0], m[1])));
  }

  @Provide
  Arbitrary<List<byte[]>> messageLists() {
    return message().list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<byte[]> streams() {
    Arbitrary<byte[]> valid = messageLists().map(ms -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ms.forEach(m -> out.writeBytes(MessageFrames.encode(m)));
      return out.toByteArray();
    });
    // A frame just over the exact-allocation threshold, now and then, to reach the growing read.
    Arbitrary<byte[]> large = Arbitraries.integers().between(0, 64).map(extra -> {
      byte[] m = new byte[MessageFrames.EXACT_ALLOCATION_LIMIT + 3 + extra];
      m[0] = 'T';
      m[1] = 'S';
      return MessageFrames.encode(m);
    });
    return Mutations.of(Arbitraries.frequencyOf(Tuple.of(98, valid), Tuple.of(2, large)), 64);
  }

  @Provide
  Arbitrary<Tag> smallTags() {
    return Arbitraries.of(Tags.defaults().all().stream()
        .filter(t -> t.maxPayloadSize() > 0 && t.maxPayloadSize() < MessageFrames.MAX_FRAME_LENGTH - 2).toList());
  }

  @Provide
  Arbitrary<Integer> excess() {
    return Arbitraries.integers().between(1, 1 << 20);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
