package io.gossipnet.libp2p.crypto;

import java.math.BigInteger;

/**
 * A strict DER reader for the few fixed shapes libp2p keys and signatures have. It is not a general
 * ASN.1 parser and never recurses: the caller names each element it expects, in order, and {@link
 * #next} reads exactly one element's header and returns a reader over its contents. Everything but
 * the DER that go-libp2p and the JDK write is refused with an {@link IllegalArgumentException}:
 * other tags (also high-tag-number forms), indefinite lengths, lengths in more bytes than needed or
 * in more than two bytes (no key or signature needs 64 KiB), lengths past the end of the enclosing
 * element, trailing bytes, and INTEGERs that are empty, negative or not minimal. Lengths are checked
 * against the input before anything is allocated; the only allocations are the readers themselves
 * and the {@link BigInteger}s of INTEGERs whose sizes the caller has bounded.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OBJECT_IDENTIFIER = 0x06;
  static final int SEQUENCE = 0x30;

  private final byte[] in;
  private int pos;
  private final int end;

  private Der(byte[] in, int from, int to) {
    this.in = in;
    this.pos = from;
    this.end = to;
  }

  /** A reader over all of {@code in} (not copied: the caller must not change it while reading). */
  static Der of(byte[] in) {
    return new Der(in, 0, in.length);
  }

  /**
   * Reads the next element, which must have {@code tag}, and returns a reader over its contents.
   *
   * @param what names the element in the refusal's message
   */
  Der next(int tag, String what) {
    if (end - pos < 2) {
      throw refuse(what + " missing or truncated");
    }
    int t = in[pos] & 0xff;
    if (t != tag) {
      throw refuse(String.format("%s has tag 0x%02x, not 0x%02x", what, t, tag));
    }
    int first = in[pos + 1] & 0xff;
    int header;
    int length;
    if (first < 0x80) {
      header = 2;
      length = first;
    } else if (first == 0x81) {
      header = 3;
      length = end - pos < header ? -1 : in[pos + 2] & 0xff;
      if (length >= 0 && length < 0x80) {
        throw refuse(what + " has a length of " + length + " in the long form");
      }
    } else if (first == 0x82) {
      header = 4;
      length = end - pos < header ? -1 : (in[pos + 2] & 0xff) << 8 | in[pos + 3] & 0xff;
      if (length >= 0 && length < 0x100) {
        throw refuse(what + " has a length of " + length + " in more bytes than it needs");
      }
    } else if (first == 0x80) {
      throw refuse(what + " has an indefinite length");
    } else {
      throw refuse(what + " has a length field of " + (first & 0x7f) + " bytes");
    }
    if (length < 0) {
      throw refuse(what + " has a truncated length");
    }
    if (length > end - pos - header) {
      throw refuse(what + " claims " + length + " bytes, " + (end - pos - header) + " remain");
    }
    Der contents = new Der(in, pos + header, pos + header + length);
    pos += header + length;
    return contents;
  }

  /** The bytes left to read. */
  int remaining() {
    return end - pos;
  }

  /** Refuses anything left after the last expected element. */
  void end(String what) {
    if (pos != end) {
      throw refuse(what + " has " + (end - pos) + (end - pos == 1 ? " byte" : " bytes") + " after its last element");
    }
  }

  /** Reads {@code expected} (a whole fixed element, such as an OID with its header) if it comes next. */
  boolean nextIs(byte[] expected) {
    if (end - pos < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (in[pos + i] != expected[i]) {
        return false;
      }
    }
    pos += expected.length;
    return true;
  }

  /** Reads one byte. */
  int nextByte(String what) {
    if (pos == end) {
      throw refuse(what + " missing");
    }
    return in[pos++] & 0xff;
  }

  /** The next {@code n} bytes as an unsigned big-endian number (the caller has bounded {@code n}). */
  BigInteger nextUnsigned(int n, String what) {
    if (end - pos < n) {
      throw refuse(what + " needs " + n + " bytes, " + (end - pos) + " remain");
    }
    BigInteger v = new BigInteger(1, in, pos, n);
    pos += n;
    return v;
  }

  /**
   * Checks that these contents are a minimal, non-negative INTEGER and returns its significant
   * bits, without allocating: what the caller bounds before calling {@link #integerValue}.
   */
  int integerBits(String what) {
    int length = end - pos;
    if (length == 0) {
      throw refuse(what + " is an empty INTEGER");
    }
    int first = in[pos] & 0xff;
    if (first >= 0x80) {
      throw refuse(what + " is negative");
    }
    if (length > 1 && first == 0 && (in[pos + 1] & 0x80) == 0) {
      throw refuse(what + " has a redundant leading zero");
    }
    int skip = first == 0 ? 1 : 0;
    if (length == skip) {
      return 0;
    }
    return (length - skip - 1) * 8 + 32 - Integer.numberOfLeadingZeros(in[pos + skip] & 0xff);
  }

  /** These contents as an INTEGER, checked as by {@link #integerBits}; reads them all. */
  BigInteger integerValue(String what) {
    integerBits(what);
    BigInteger v = new BigInteger(1, in, pos, end - pos);
    pos = end;
    return v;
  }

  private static IllegalArgumentException refuse(String reason) {
    return new IllegalArgumentException(reason);
  }
}
