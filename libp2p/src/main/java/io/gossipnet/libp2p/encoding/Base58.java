package io.gossipnet.libp2p.encoding;

import java.math.BigInteger;
import java.util.Arrays;

/** Bitcoin-alphabet base58 (multibase {@code z}, without the prefix), used for peer IDs. */
public final class Base58 {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int[] INDEX = new int[128];
  /** Peer IDs are short; longer text is refused before any arithmetic. */
  public static final int MAX_TEXT = 256;

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEX[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  /** Encodes bytes as base58btc text. */
  public static String encode(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    StringBuilder sb = new StringBuilder();
    BigInteger n = new BigInteger(1, data);
    BigInteger base = BigInteger.valueOf(58);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(base);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    sb.append("1".repeat(zeros));
    return sb.reverse().toString();
  }

  /** Decodes base58btc text. */
  public static byte[] decode(String text) {
    if (text.length() > MAX_TEXT) {
      throw new IllegalArgumentException("base58 text longer than " + MAX_TEXT);
    }
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    BigInteger n = BigInteger.ZERO;
    BigInteger base = BigInteger.valueOf(58);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int d = c < 128 ? INDEX[c] : -1;
      if (d < 0) {
        throw new IllegalArgumentException("invalid base58 character '" + c + "'");
      }
      n = n.multiply(base).add(BigInteger.valueOf(d));
    }
    byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int strip = mag.length > 0 && mag[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + mag.length - strip];
    System.arraycopy(mag, strip, out, zeros, mag.length - strip);
    return out;
  }
}
