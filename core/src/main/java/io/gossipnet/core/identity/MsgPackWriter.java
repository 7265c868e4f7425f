package io.gossipnet.core.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the small subset of msgpack the identity messages need, in go-algorand's canonical form:
 * maps (the caller writes keys in sorted order and omits empty fields), short string keys, and
 * byte strings as the smallest {@code bin} type.
 */
final class MsgPackWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

  /** Writes a map header for {@code size} entries (at most 15: fixmap only). */
  MsgPackWriter mapHeader(int size) {
    if (size < 0 || size > 15) {
      throw new IllegalArgumentException("map size " + size);
    }
    out.write(0x80 | size);
    return this;
  }

  /** Writes a short ASCII key as a fixstr. */
  MsgPackWriter key(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length > 31) {
      throw new IllegalArgumentException("key too long: " + key);
    }
    out.write(0xa0 | bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  /** Writes a byte string as bin8, bin16 or bin32, whichever is smallest. */
  MsgPackWriter bin(byte[] bytes) {
    int n = bytes.length;
    if (n <= 0xff) {
      out.write(0xc4);
      out.write(n);
    } else if (n <= 0xffff) {
      out.write(0xc5);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(0xc6);
      out.write(n >>> 24);
      out.write(n >>> 16);
      out.write(n >>> 8);
      out.write(n);
    }
    out.writeBytes(bytes);
    return this;
  }

  /** Writes bytes that are already msgpack (a nested, encoded value). */
  MsgPackWriter raw(byte[] encoded) {
    out.writeBytes(encoded);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
