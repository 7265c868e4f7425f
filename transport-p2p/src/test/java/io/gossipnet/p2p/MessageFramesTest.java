package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.Tag;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageTooLargeException;
import io.gossipnet.core.spi.PayloadLimit;
import io.gossipnet.p2p.FrameException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gossip message framing on a P2P stream: a 4-byte big-endian length, then tag and payload. */
class MessageFramesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final PayloadLimit ANY = tag -> MessageFrames.MAX_FRAME_LENGTH;

  @Test
  void theLimitIs6MiB() {
    assertThat(MessageFrames.MAX_FRAME_LENGTH).isEqualTo(6 * 1024 * 1024);
  }

  @Test
  void aFrameIsTheBigEndianLengthThenTheMessageAsOnWebSocket() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageFrames.write(out, new byte[] {'T', 'X', 1, 2, 3});
    assertThat(HEX.formatHex(out.toByteArray())).isEqualTo("00000005" + "5458" + "010203");
    assertThat(MessageFrames.encode(new byte[] {'T', 'X', 1, 2, 3})).isEqualTo(out.toByteArray());
  }

  @Test
  void messagesReadBackInOrderThenACleanEndIsNull() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageFrames.writeAll(out, List.of(new byte[] {'A', 'V', 9}, new byte[] {'T', 'X'}));
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertThat(MessageFrames.readMessage(in)).containsExactly('A', 'V', 9);
    assertThat(MessageFrames.readMessage(in)).containsExactly('T', 'X');
    assertThat(MessageFrames.readMessage(in)).isNull();
    assertThat(MessageFrames.readMessage(in)).isNull();
  }

  @Test
  void theEngineReadSplitsTagAndPayload() throws IOException {
    InboundMessage m = MessageFrames.read(new ByteArrayInputStream(HEX.parseHex("00000004" + "5458" + "abcd")), ANY);
    assertThat(m.tagCode()).isEqualTo(Tag.code((byte) 'T', (byte) 'X'));
    assertThat(m.payload()).containsExactly(0xab, 0xcd);
    assertThat(MessageFrames.read(new ByteArrayInputStream(new byte[0]), ANY)).isNull();
  }

  @Test
  void aPayloadOverItsTagsLimitFailsBeforeThePayloadIsRead() {
    CountingInput in = new CountingInput(HEX.parseHex("00000005" + "5458" + "010203"));
    PayloadLimit two = tag -> 2;
    assertThatThrownBy(() -> MessageFrames.read(in, two))
        .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("3 bytes").hasMessageContaining("at most 2");
    assertThat(in.consumed()).isEqualTo(6);
  }

  @Test
  void exactly6MiBIsAccepted() throws IOException {
    byte[] message = new byte[MessageFrames.MAX_FRAME_LENGTH];
    message[0] = 'P';
    message[1] = 'P';
    byte[] back = MessageFrames.readMessage(new ByteArrayInputStream(MessageFrames.encode(message)));
    assertThat(back).hasSize(MessageFrames.MAX_FRAME_LENGTH);
  }

  @Test
  void aLengthOver6MiBFailsBeforeAllocating() {
    for (String prefix : new String[] {"00600001", "7fffffff", "ffffffff"}) {
      CountingInput in = new CountingInput(HEX.parseHex(prefix + "5458"));
      FrameException e = expectFrame(() -> MessageFrames.readMessage(in));
      assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
      assertThat(e).hasMessageContaining("at most 6291456");
      assertThat(in.consumed()).isEqualTo(4);
    }
  }

  @Test
  void aLengthWithNoRoomForATagIsTooShort() {
    for (String frame : new String[] {"00000000", "0000000154"}) {
      FrameException e = expectFrame(() -> MessageFrames.readMessage(new ByteArrayInputStream(HEX.parseHex(frame))));
      assertThat(e.reason()).isEqualTo(Reason.TOO_SHORT);
    }
  }

  @Test
  void aStreamEndingInsideAFrameIsAnEndOfStreamErrorNotACleanEnd() throws IOException {
    byte[] frame = MessageFrames.encode(new byte[] {'T', 'X', 1, 2, 3});
    for (int n = 1; n < frame.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(frame, n);
      FrameException viaMessage = expectFrame(() -> MessageFrames.readMessage(new ByteArrayInputStream(cut)));
      FrameException viaEngine = expectFrame(() -> MessageFrames.read(new ByteArrayInputStream(cut), ANY));
      assertThat(viaMessage.reason()).isEqualTo(Reason.TRUNCATED);
      assertThat(viaMessage.isEndOfStream()).isTrue();
      assertThat(viaEngine.reason()).isEqualTo(Reason.TRUNCATED);
      assertThat(viaEngine).hasMessageContaining("stream ended");
    }
  }

  @Test
  void aLargeDeclaredPayloadThatNeverArrivesCostsOnlyWhatWasSent() {
    // 6 MiB declared, 10 bytes sent: the buffer grows with the bytes, it is not allocated up front.
    byte[] head = HEX.parseHex("00600000" + "5050" + "0102030405060708");
    long before = Allocation.ofCurrentThread();
    FrameException e = expectFrame(() -> MessageFrames.readMessage(new ByteArrayInputStream(head)));
    long allocated = Allocation.ofCurrentThread() - before;
    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(allocated).isLessThan(1024 * 1024);
  }

  @Test
  void writingRefusesMessagesAPeerWouldRefuse() {
    assertThatThrownBy(() -> MessageFrames.write(new ByteArrayOutputStream(), new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageFrames.encode(new byte[MessageFrames.MAX_FRAME_LENGTH + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyFrameErrorClosesThePeerWithReadError() {
    for (Reason r : Reason.values()) {
      assertThat(new FrameException(r, "x").disconnectReason()).isEqualTo(DisconnectReason.READ_ERROR);
    }
  }

  interface Read {
    Object run() throws IOException;
  }

  static FrameException expectFrame(Read r) {
    try {
      r.run();
    } catch (FrameException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError("expected a FrameException, got " + e, e);
    }
    throw new AssertionError("expected a FrameException");
  }

  /** Counts the bytes taken from the underlying array. */
  static final class CountingInput extends InputStream {
    private final ByteArrayInputStream in;
    private final int size;

    CountingInput(byte[] bytes) {
      in = new ByteArrayInputStream(bytes);
      size = bytes.length;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, len);
    }

    int consumed() {
      return size - in.available();
    }
  }
}
