package io.gossipnet.libp2p.encoding;

import java.math.BigInteger;
import java.util.Locale;

/** The multibase encodings libp2p uses in text: base58btc ({@code z}), base32 ({@code b}), base36 ({@code k}). */
public final class Multibase {
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
  private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  /** Longest multibase text accepted (CIDs of peer IDs are far shorter). */
  public static final int MAX_TEXT = 512;

  private Multibase() {}

  /** Lower-case RFC 4648 base32 without padding, prefixed by {@code b}. */
  public static String encodeBase32(byte[] data) {
    StringBuilder sb = new StringBuilder("b");
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /** Lower-case base36 prefixed by {@code k}. */
  public static String encodeBase36(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    String digits = new BigInteger(1, data).toString(36);
    return "k" + "0".repeat(zeros) + (new BigInteger(1, data).signum() == 0 ? "" : digits);
  }

  /** Decodes multibase text with prefix {@code z}, {@code b}/{@code B} or {@code k}/{@code K}. */
  public static byte[] decode(String text) {
    if (text.isEmpty() || text.length() > MAX_TEXT) {
      throw new IllegalArgumentException("multibase text empty or longer than " + MAX_TEXT);
    }
    char prefix = text.charAt(0);
    String body = text.substring(1);
    return switch (prefix) {
      case 'z' -> Base58.decode(body);
      case 'b', 'B' -> decodeBase32(body.toLowerCase(Locale.ROOT));
      case 'k', 'K' -> decodeBase36(body.toLowerCase(Locale.ROOT));
      default -> throw new IllegalArgumentException("unsupported multibase prefix '" + prefix + "'");
    };
  }

  private static byte[] decodeBase32(String body) {
    byte[] out = new byte[body.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int pos = 0;
    for (int i = 0; i < body.length(); i++) {
      int d = BASE32.indexOf(body.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("invalid base32 character '" + body.charAt(i) + "'");
      }
      buffer = (buffer << 5) | d;
      bits += 5;
      if (bits >= 8) {
        out[pos++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }

  private static byte[] decodeBase36(String body) {
    int zeros = 0;
    while (zeros < body.length() && body.charAt(zeros) == '0') {
      zeros++;
    }
    for (int i = 0; i < body.length(); i++) {
      if (BASE36.indexOf(body.charAt(i)) < 0) {
        throw new IllegalArgumentException("invalid base36 character '" + body.charAt(i) + "'");
      }
    }
    if (zeros == body.length()) {
      return new byte[zeros];
    }
    byte[] mag = new BigInteger(body.substring(zeros), 36).toByteArray();
    int strip = mag[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + mag.length - strip];
    System.arraycopy(mag, strip, out, zeros, mag.length - strip);
    return out;
  }
}
