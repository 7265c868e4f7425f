package io.gossipnet.core.codec;

import io.gossipnet.core.codec.MsgPackException.Kind;
import java.nio.charset.StandardCharsets;

/**
 * Reads msgpack from untrusted input, one value at a time: maps, arrays, strings, byte strings and
 * nil. Other types (integers, floats, extensions, booleans) are rejected: none of the messages
 * decoded with it uses them.
 *
 * <p>Every length is checked against a caller-given maximum and against the bytes that remain
 * before anything is allocated, so a hostile length costs nothing: a map or array header is
 * refused when its count exceeds the maximum or when the remaining input could not hold that many
 * elements (at least one byte per array element, two per map entry); a string or byte string when
 * its length exceeds the maximum or the remaining input.
 *
 * <p>The caller drives the structure (it knows which value comes next), so reading never recurses
 * and nesting cannot exhaust the stack. A reader is not thread-safe.
 */
public final class MsgPackReader {
  private final byte[] buf;
  private final int limit;
  private int pos;

  /** A reader over all of {@code buf} (not copied; do not modify it while reading). */
  public MsgPackReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /** A reader over {@code length} bytes of {@code buf} from {@code offset} (not copied). */
  public MsgPackReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + buf.length);
    }
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  /** Bytes not yet read. */
  public int remaining() {
    return limit - pos;
  }

  /**
   * Reads a map header (fixmap, map16 or map32) and returns its entry count.
   *
   * @param max the most entries the caller accepts
   * @throws MsgPackException if the next value is not a map, has more than {@code max} entries or
   *     more than the remaining input can hold
   */
  public int mapHeader(int max) throws MsgPackException {
    int type = u8();
    long size;
    if ((type & 0xf0) == 0x80) {
      size = type & 0x0f;
    } else if (type == 0xde) {
      size = u16();
    } else if (type == 0xdf) {
      size = u32();
    } else {
      throw new MsgPackException(Kind.WRONG_TYPE, String.format("expected a map, got type 0x%02x", type));
    }
    if (size > max) {
      throw new MsgPackException(Kind.OVER_LIMIT, "map has " + size + " entries, at most " + max + " expected");
    }
    if (size * 2 > remaining()) {
      throw new MsgPackException(Kind.TRUNCATED, "truncated: map of " + size + " entries, " + remaining() + " bytes left");
    }
    return (int) size;
  }

  /**
   * Reads an array header (fixarray, array16 or array32) and returns its element count.
   *
   * @param max the most elements the caller accepts
   * @throws MsgPackException if the next value is not an array, has more than {@code max}
   *     elements or more than the remaining input can hold
   */
  public int arrayHeader(int max) throws MsgPackException {
    int type = u8();
    long size;
    if ((type & 0xf0) == 0x90) {
      size = type & 0x0f;
    } else if (type == 0xdc) {
      size = u16();
    } else if (type == 0xdd) {
      size = u32();
    } else {
      throw new MsgPackException(Kind.WRONG_TYPE, String.format("expected an array, got type 0x%02x", type));
    }
    if (size > max) {
      throw new MsgPackException(Kind.OVER_LIMIT, "array has " + size + " elements, at most " + max + " expected");
    }
    if (size > remaining()) {
      throw new MsgPackException(Kind.TRUNCATED, "truncated: array of " + size + " elements, " + remaining() + " bytes left");
    }
    return (int) size;
  }

  /**
   * Consumes a nil if it is the next value.
   *
   * @return whether a nil was consumed (false: nothing was consumed, also at the end of input)
   */
  public boolean tryNil() {
    if (pos < limit && (buf[pos] & 0xff) == 0xc0) {
      pos++;
      return true;
    }
    return false;
  }

  /**
   * Reads a string (fixstr, str8, str16 or str32) of at most {@code maxBytes} bytes and decodes it
   * as UTF-8 (malformed sequences become U+FFFD, as Go strings may hold any bytes).
   *
   * @throws MsgPackException if the next value is not a string, is longer than {@code maxBytes} or
   *     than the remaining input
   */
  public String str(int maxBytes) throws MsgPackException {
    int n = strLength("string", maxBytes);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /**
   * Reads a string key of at most {@code maxLength} bytes, one char per byte (ISO-8859-1), for
   * comparison with known ASCII names: a non-ASCII key never equals one.
   *
   * @throws MsgPackException if the next value is not a string, is longer than {@code maxLength}
   *     or than the remaining input
   */
  public String key(int maxLength) throws MsgPackException {
    int n = strLength("key", maxLength);
    String key = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
    pos += n;
    return key;
  }

  /**
   * Reads a byte string (bin8, bin16 or bin32) of {@code minLength} to {@code maxLength} bytes.
   *
   * @param field the field's name, for the error message
   * @throws MsgPackException if the next value is not a byte string, its length is out of range
   *     or longer than the remaining input
   */
  public byte[] bin(String field, int minLength, int maxLength) throws MsgPackException {
    int type = u8();
    long length;
    if (type == 0xc4) {
      length = u8();
    } else if (type == 0xc5) {
      length = u16();
    } else if (type == 0xc6) {
      length = u32();
    } else {
      throw new MsgPackException(Kind.WRONG_TYPE,
          String.format("field %s: expected bytes, got type 0x%02x", field, type));
    }
    if (length < minLength || length > maxLength) {
      throw new MsgPackException(Kind.OVER_LIMIT,
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

  /**
   * Fails unless all input has been consumed.
   *
   * @throws MsgPackException naming the number of trailing bytes
   */
  public void end() throws MsgPackException {
    if (pos != limit) {
      throw new MsgPackException(Kind.TRAILING_BYTES, (limit - pos) + " trailing bytes");
    }
  }

  private int strLength(String what, int max) throws MsgPackException {
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
      throw new MsgPackException(Kind.WRONG_TYPE, String.format("expected a %s, got type 0x%02x",
          what.equals("key") ? "string key" : what, type));
    }
    if (length > max) {
      throw new MsgPackException(Kind.OVER_LIMIT, what + " of " + length + " bytes is too long (at most " + max + ")");
    }
    int n = (int) length;
    require(n);
    return n;
  }

  private void require(int n) throws MsgPackException {
    if (n > limit - pos) {
      throw new MsgPackException(Kind.TRUNCATED, "truncated: need " + n + " bytes, " + (limit - pos) + " left");
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
}
