package io.gossipnet.core.identity;

import java.util.HexFormat;

/**
 * Recognises encodings of the eight Ed25519 points of small order (dividing 8), including their
 * non-canonical forms, as libsodium's {@code ge25519_has_small_order} does. The seed verifies with
 * libsodium, which refuses such public keys and signature points; the JDK does not, so {@link
 * IdentityKeys#verify} checks them first.
 */
final class SmallOrder {
  /** y-coordinates (little-endian, sign bit cleared) of the small-order points, plus p and p+1. */
  static final byte[][] ENCODINGS = {
    hex("0000000000000000000000000000000000000000000000000000000000000000"), // y=0, order 4
    hex("0100000000000000000000000000000000000000000000000000000000000000"), // y=1, order 1
    hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), // order 8
    hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), // order 8
    hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // y=p-1, order 2
    hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // y=p (=0)
    hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // y=p+1 (=1)
  };

  private SmallOrder() {}

  /** Whether the 32 bytes at {@code offset} encode a small-order point (sign bit ignored). */
  static boolean isSmallOrder(byte[] bytes, int offset) {
    boolean found = false;
    for (byte[] candidate : ENCODINGS) {
      int diff = 0;
      for (int i = 0; i < 31; i++) {
        diff |= bytes[offset + i] ^ candidate[i];
      }
      diff |= (bytes[offset + 31] & 0x7f) ^ candidate[31];
      found |= diff == 0;
    }
    return found;
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
