package io.gossipnet.libp2p.internal.wire;

import io.gossipnet.libp2p.encoding.Varint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A minimal, bounds-checked protobuf reader: every length is checked against the remaining input
 * before anything is allocated. Unknown fields are skipped.
 */
public final class ProtoReader {
  private final ByteBuffer buf;
  private int tag;

  /** Reads {@code data}, which must be at most {@code maxSize} bytes. */
  public ProtoReader(byte[] data, int maxSize) {
    if (data.length > maxSize) {
      throw new IllegalArgumentException("protobuf message of " + data.length + " bytes exceeds " + maxSize);
    }
    this.buf = ByteBuffer.wrap(data);
  }

  /** Advances to the next field; false at the end of the message. */
  public boolean next() {
    if (!buf.hasRemaining()) {
      return false;
    }
    long t = Varint.read(buf);
    if (t > Integer.MAX_VALUE || (t >>> 3) == 0) {
      throw new IllegalArgumentException("invalid protobuf tag " + t);
    }
    tag = (int) t;
    return true;
  }

  /** The current field number. */
  public int field() {
    return tag >>> 3;
  }

  /** The current wire type. */
  public int wireType() {
    return tag & 7;
  }

  /** Reads a varint field value. */
  public long varint() {
    expect(0);
    return Varint.read(buf);
  }

  /** Reads a length-delimited field value. */
  public byte[] bytes() {
    expect(2);
    long len = Varint.read(buf);
    if (len > buf.remaining()) {
      throw new IllegalArgumentException("protobuf field length " + len + " exceeds remaining " + buf.remaining());
    }
    byte[] v = new byte[(int) len];
    buf.get(v);
    return v;
  }

  /** Reads a UTF-8 string field value. */
  public String string() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  /** Skips the current field. */
  public void skip() {
    switch (wireType()) {
      case 0 -> Varint.read(buf);
      case 1 -> advance(8);
      case 2 -> {
        long len = Varint.read(buf);
        if (len > buf.remaining()) {
          throw new IllegalArgumentException("protobuf field length " + len + " exceeds remaining");
        }
        advance((int) len);
      }
      case 5 -> advance(4);
      default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType());
    }
  }

  private void advance(int n) {
    if (n > buf.remaining()) {
      throw new IllegalArgumentException("truncated protobuf field");
    }
    buf.position(buf.position() + n);
  }

  private void expect(int type) {
    if (wireType() != type) {
      throw new IllegalArgumentException(
          "protobuf field " + field() + " has wire type " + wireType() + ", expected " + type);
    }
  }
}
