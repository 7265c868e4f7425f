package io.gossipnet.ws;

/** The seed's {@code filterASCII}: what a peer sent, made safe to log. */
final class Sanitize {
  private static final int MAX_LENGTH = 256;

  private Sanitize() {}

  /** Keeps printable ASCII (0x20-0x7e), replaces anything else by '▯', caps the length; null → "". */
  static String ascii(String s) {
    if (s == null) {
      return "";
    }
    int n = Math.min(s.length(), MAX_LENGTH);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c <= 0x7e ? c : '\u25af');
    }
    if (s.length() > MAX_LENGTH) {
      b.append("...");
    }
    return b.toString();
  }
}
