package io.gossipnet.core.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes msgpack in go-algorand's canonical form: every header (map, array, string, byte string)
 * is the smallest one that holds its length, as Go's {@code msgp} writes it (so strings of 32 to
 * 255 bytes are {@code str8}). The caller writes map keys in sorted order and omits empty fields
 * where the message's encoding asks for it. A writer is not thread-safe.
 */
public final class MsgPackWriter {
  private final ByteArrayOutputStream out;

  /** A writer with a small initial buffer. */
  public MsgPackWriter() {
    this(128);
  }

  /** A writer whose buffer starts at {@code initialCapacity} bytes. */
  public MsgPackWriter(int initialCapacity) {
    out = new ByteArrayOutputStream(initialCapacity);
  }

  /** Writes a map header for {@code size} entries: fixmap, map16 or map32. */
  public MsgPackWriter mapHeader(int size) {
    return header(size, 0x80, 0xde, 0xdf, "map size");
  }

  /** Writes an array header for {@code size} elements: fixarray, array16 or array32. */
  public MsgPackWriter arrayHeader(int size) {
    return header(size, 0x90, 0xdc, 0xdd, "array size");
  }

  /** Writes {@code s} as UTF-8 in a fixstr, str8, str16 or str32, whichever is smallest. */
  public MsgPackWriter str(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    if (n <= 31) {
      out.write(0xa0 | n);
    } else if (n <= 0xff) {
      out.write(0xd9);
      out.write(n);
    } else if (n <= 0xffff) {
      out.write(0xda);
      u16(n);
    } else {
      out.write(0xdb);
      u32(n);
    }
    out.writeBytes(bytes);
    return this;
  }

  /** Writes a byte string as bin8, bin16 or bin32, whichever is smallest. */
  public MsgPackWriter bin(byte[] bytes) {
    int n = bytes.length;
    if (n <= 0xff) {
      out.write(0xc4);
      out.write(n);
    } else if (n <= 0xffff) {
      out.write(0xc5);
      u16(n);
    } else {
      out.write(0xc6);
      u32(n);
    }
    out.writeBytes(bytes);
    return this;
  }

  /** Writes nil. */
  public MsgPackWriter nil() {
    out.write(0xc0);
    return this;
  }

  /** Writes bytes that are already msgpack (a nested, encoded value). */
  public MsgPackWriter raw(byte[] encoded) {
    out.writeBytes(encoded);
    return this;
  }

  /** Bytes written so far. */
  public int size() {
    return out.size();
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private MsgPackWriter header(int size, int fix, int type16, int type32, String what) {
    if (size < 0) {
      throw new IllegalArgumentException(what + " " + size);
    }
    if (size <= 15) {
      out.write(fix | size);
    } else if (size <= 0xffff) {
      out.write(type16);
      u16(size);
    } else {
      out.write(type32);
      u32(size);
    }
    return this;
  }

  private void u16(int n) {
    out.write(n >>> 8);
    out.write(n);
  }

  private void u32(int n) {
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
  }
}
