package io.gossipnet.core.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds msgpack byte by byte, straight from the msgpack spec, independently of the code under
 * test: fixmap {@code 0x80|n}, fixstr {@code 0xa0|n}, bin8 {@code 0xc4 n}, bin16 {@code 0xc5 nn}.
 */
final class HandMsgPack {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static HandMsgPack start() {
    return new HandMsgPack();
  }

  HandMsgPack fixmap(int entries) {
    return bytes(0x80 | entries);
  }

  HandMsgPack fixstr(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    out.write(0xa0 | b.length);
    out.writeBytes(b);
    return this;
  }

  HandMsgPack bin8(byte[] b) {
    out.write(0xc4);
    out.write(b.length);
    out.writeBytes(b);
    return this;
  }

  HandMsgPack bin16(byte[] b) {
    out.write(0xc5);
    out.write(b.length >>> 8);
    out.write(b.length & 0xff);
    out.writeBytes(b);
    return this;
  }

  HandMsgPack raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  HandMsgPack bytes(int... values) {
    for (int v : values) {
      out.write(v);
    }
    return this;
  }

  byte[] build() {
    return out.toByteArray();
  }

  static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
