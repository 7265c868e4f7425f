package io.gossipnet.core.identity;

import java.nio.charset.StandardCharsets;

/**
 * Reads the small subset of msgpack the identity messages use, from untrusted input. Every length
 * is checked against the bytes that remain and against a caller-given maximum before anything is
 * allocated; any other type is rejected. The caller drives the structure, so there is no recursion.
 */
final class MsgPackReader {
  private final byte[] buf;
  private int pos;

  MsgPackReader(byte[] buf) {
    this.buf = buf;
  }

  /** Reads a map header (fixmap, map16 or map32) and returns its entry count, at most {@code max}. */
  int mapHeader(int max) throws MsgPackException {
    int type = u8();
    long size;
    if ((type & 0xf0) == 0x80) {
      size = type & 0x0f;
    } else if (type == 0xde) {
      size = u16();
    } else if (type == 0xdf) {
      size = u32();
    } else {
      throw new MsgPackException(String.format("expected a map, got type 0x%02x", type));
    }
    if (size > max) {
      throw new MsgPackException("map has " + size + " entries, at most " + max + " expected");
    }
    return (int) size;
  }

  /** Reads a string key (fixstr, str8, str16 or str32) of at most {@code maxLength} bytes. */
  String key(int maxLength) throws MsgPackException {
    int type = u8();
    long length;
    if ((type & 0xe0) == 0xa0) {
      length = type & 0x1f;
    } else if (type == 0xd9) {
      length = u8();
    } else if (type == 0xda) {
      length = u16();
    } else if (type == 0xdb) {
      length = u32();
    } else {
      throw new MsgPackException(String.format("expected a string key, got type 0x%02x", type));
    }
    if (length > maxLength) {
      throw new MsgPackException("key of " + length + " bytes is too long");
    }
    int n = (int) length;
    require(n);
    String key = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
    pos += n;
    return key;
  }

  /** Reads a byte string (bin8, bin16 or bin32) of {@code minLength} to {@code maxLength} bytes. */
  byte[] bin(String field, int minLength, int maxLength) throws MsgPackException {
    int type = u8();
    long length;
    if (type == 0xc4) {
      length = u8();
    } else if (type == 0xc5) {
      length = u16();
    } else if (type == 0xc6) {
      length = u32();
    } else {
      throw new MsgPackException(
          String.format("field %s: expected bytes, got type 0x%02x", field, type));
    }
    if (length < minLength || length > maxLength) {
      throw new MsgPackException(
          "field " + field + " has " + length + " bytes, expected " + minLength
              + (minLength == maxLength ? "" : ".." + maxLength));
    }
    int n = (int) length;
    require(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Fails unless all input has been consumed. */
  void end() throws MsgPackException {
    if (pos != buf.length) {
      throw new MsgPackException((buf.length - pos) + " trailing bytes");
    }
  }

  private void require(int n) throws MsgPackException {
    if (n > buf.length - pos) {
      throw new MsgPackException("truncated: need " + n + " bytes, " + (buf.length - pos) + " left");
    }
  }

  private int u8() throws MsgPackException {
    require(1);
    return buf[pos++] & 0xff;
  }

  private int u16() throws MsgPackException {
    require(2);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  private long u32() throws MsgPackException {
    require(4);
    long v =
        ((long) (buf[pos] & 0xff) << 24)
            | ((buf[pos + 1] & 0xff) << 16)
            | ((buf[pos + 2] & 0xff) << 8)
            | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  /** Malformed or unexpected msgpack. */
  static final class MsgPackException extends Exception {
    private static final long serialVersionUID = 1L;

    MsgPackException(String message) {
      super(message);
    }
  }
}
