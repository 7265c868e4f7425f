package io.gossipnet.p2p;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageTooLargeException;
import io.gossipnet.core.spi.PayloadLimit;
import io.gossipnet.p2p.FrameException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The framing of gossip messages on a P2P stream (seed: {@code wsPeerConnP2P}): a 4-byte
 * big-endian length, then the message exactly as a WebSocket binary message carries it (the 2-byte
 * tag, then the payload).
 *
 * <p>A length over {@value #MAX_FRAME_LENGTH} bytes (6 MiB, the seed's limit) or under 2 fails
 * before anything is allocated. The payload is read into a buffer of its declared size only up to
 * {@value #EXACT_ALLOCATION_LIMIT} bytes; a larger one grows as its bytes arrive, so a peer that
 * declares 6 MiB and sends less costs what it sent. A stream that ends between frames is a clean
 * end (null); one that ends inside a frame is a {@link FrameException} with {@link
 * FrameException.Reason#TRUNCATED}.
 */
public final class MessageFrames {
  /** Largest frame (tag + payload) read or written: 6 MiB, the seed's {@code MaxMessageLength}. */
  public static final int MAX_FRAME_LENGTH = Tags.MAX_MESSAGE_LENGTH;

  /** Bytes of the length prefix. */
  public static final int LENGTH_PREFIX = 4;

  /** Up to this size a payload buffer is allocated at once; larger ones grow as bytes arrive. */
  static final int EXACT_ALLOCATION_LIMIT = 64 * 1024;

  private MessageFrames() {}

  /**
   * Reads the next message, tag and payload in one array.
   *
   * @return the message (at least the 2 tag bytes), or null when the stream ended before a frame
   * @throws FrameException for a length over {@value #MAX_FRAME_LENGTH} or under 2, or an end of
   *     stream inside the frame
   * @throws IOException if reading fails
   */
  public static byte[] readMessage(InputStream in) throws IOException {
    long length = readLength(in);
    return length < 0 ? null : readFully(in, (int) length, "message");
  }

  /**
   * Reads the next message for the engine's read loop ({@code MessageConnection.read}): after the
   * tag and before the payload is buffered, {@code limit} is asked for that tag's largest payload.
   *
   * @return the message, or null when the stream ended before a frame
   * @throws MessageTooLargeException if the payload is over the tag's limit
   * @throws FrameException for a length over {@value #MAX_FRAME_LENGTH} or under 2, or an end of
   *     stream inside the frame
   * @throws IOException if reading fails
   */
  public static InboundMessage read(InputStream in, PayloadLimit limit) throws IOException {
    long length = readLength(in);
    if (length < 0) {
      return null;
    }
    byte[] tag = readFully(in, 2, "tag");
    int tagCode = Tag.code(tag[0], tag[1]);
    int payloadLength = (int) length - 2;
    int max = limit.maxPayload(tagCode);
    if (payloadLength > max) {
      throw new MessageTooLargeException(
          "payload of " + payloadLength + " bytes for tag 0x" + Integer.toHexString(tagCode) + ", at most " + max);
    }
    return new InboundMessage(tagCode, readFully(in, payloadLength, "payload"));
  }

  /**
   * Writes one message (tag + payload) with its length prefix; does not flush.
   *
   * @throws IllegalArgumentException if the message is under 2 or over {@value #MAX_FRAME_LENGTH}
   *     bytes (a peer would refuse it)
   * @throws IOException if writing fails
   */
  public static void write(OutputStream out, byte[] message) throws IOException {
    out.write(prefix(message));
    out.write(message);
  }

  /** Writes every message in order with {@link #write}; the caller flushes once afterwards. */
  public static void writeAll(OutputStream out, List<byte[]> messages) throws IOException {
    for (byte[] m : messages) {
      write(out, m);
    }
  }

  /** One message as a frame: its length prefix followed by the message. */
  public static byte[] encode(byte[] message) {
    byte[] frame = new byte[LENGTH_PREFIX + message.length];
    System.arraycopy(prefix(message), 0, frame, 0, LENGTH_PREFIX);
    System.arraycopy(message, 0, frame, LENGTH_PREFIX, message.length);
    return frame;
  }

  private static byte[] prefix(byte[] message) {
    int n = message.length;
    if (n < 2 || n > MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException("a message is 2 to " + MAX_FRAME_LENGTH + " bytes, got " + n);
    }
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }

  /** The frame's length, checked, or -1 at a clean end of stream. */
  private static long readLength(InputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return -1;
    }
    byte[] rest = new byte[3];
    int got = in.readNBytes(rest, 0, 3);
    if (got < 3) {
      throw new FrameException(Reason.TRUNCATED, "stream ended after " + (1 + got) + " of 4 length bytes");
    }
    long length = ((long) first << 24) | ((rest[0] & 0xff) << 16) | ((rest[1] & 0xff) << 8) | (rest[2] & 0xff);
    if (length > MAX_FRAME_LENGTH) {
      throw new FrameException(Reason.TOO_LARGE, "frame of " + length + " bytes, at most " + MAX_FRAME_LENGTH);
    }
    if (length < 2) {
      throw new FrameException(Reason.TOO_SHORT, "frame of " + length + " bytes has no room for a tag");
    }
    return length;
  }

  private static byte[] readFully(InputStream in, int n, String what) throws IOException {
    byte[] b;
    if (n <= EXACT_ALLOCATION_LIMIT) {
      b = new byte[n];
      int got = in.readNBytes(b, 0, n);
      if (got < n) {
        throw truncated(what, got, n);
      }
    } else {
      b = in.readNBytes(n);
      if (b.length < n) {
        throw truncated(what, b.length, n);
      }
    }
    return b;
  }

  private static FrameException truncated(String what, int got, int n) {
    return new FrameException(Reason.TRUNCATED, "stream ended after " + got + " of " + n + " bytes of the " + what);
  }
}
