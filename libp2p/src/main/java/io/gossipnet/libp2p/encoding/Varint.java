package io.gossipnet.libp2p.encoding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** Unsigned LEB128 varints as multiformats and protobuf use them, with bounded length. */
public final class Varint {
  /** At most 9 bytes, as the multiformats unsigned-varint spec allows (63 bits). */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** Encodes {@code value} (non-negative) into {@code out}. */
  public static void write(ByteArrayOutputStream out, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative varint " + value);
    }
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** The encoding of {@code value} as a new array. */
  public static byte[] encode(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
    write(out, value);
    return out.toByteArray();
  }

  /** Number of bytes {@code value} takes. */
  public static int size(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      n++;
      value >>>= 7;
    }
    return n;
  }

  /**
   * Reads a varint from {@code buf}, advancing its position.
   *
   * @throws IllegalArgumentException if it is truncated or longer than {@link #MAX_BYTES}
   */
  public static long read(ByteBuffer buf) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (!buf.hasRemaining()) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = buf.get() & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint not minimally encoded");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Reads a varint from a stream; returns -1 on end of stream before the first byte.
   *
   * @throws IOException if the stream ends inside the varint or the varint is too long
   */
  public static long read(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new IOException("stream ended inside a varint");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("varint longer than " + MAX_BYTES + " bytes");
  }
}
