package io.gossipnet.libp2p.http;

import io.gossipnet.libp2p.Libp2pException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 message framing with limits: heads up to {@value #MAX_HEAD} bytes, bounded bodies. */
final class HttpWire {
  static final int MAX_HEAD = 16 * 1024;
  private static final int MAX_HEADERS = 100;
  /** The largest array the JVM reliably allocates: no body is longer. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private HttpWire() {}

  /** A parsed start line and headers. */
  /** A body over the reader's limit (the server answers 413). */
  static final class BodyTooLargeException extends Libp2pException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
      super(message);
    }
  }

  record Head(String[] startLine, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  /** Reads a head up to the blank line; null if the stream ends before any byte. */
  static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    int last4 = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (buf.size() == 0) {
          return null;
        }
        throw new Libp2pException("stream ended inside an HTTP head");
      }
      if (buf.size() >= MAX_HEAD) {
        throw new Libp2pException("HTTP head exceeds " + MAX_HEAD + " bytes");
      }
      buf.write(b);
      last4 = (last4 << 8) | b;
      if (last4 == 0x0D0A0D0A || (last4 & 0xFFFF) == 0x0A0A) {
        break;
      }
    }
    String[] lines = buf.toString(StandardCharsets.ISO_8859_1).split("\r?\n");
    if (lines.length == 0) {
      // only blank lines: split drops every (empty) line
      throw new Libp2pException("HTTP head without a start line");
    }
    String[] start = lines[0].split(" ", 3);
    if (start.length < 2) {
      throw new Libp2pException("malformed HTTP start line '" + lines[0] + "'");
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      if (i > MAX_HEADERS) {
        throw new Libp2pException("more than " + MAX_HEADERS + " HTTP headers");
      }
      int c = lines[i].indexOf(':');
      if (c <= 0) {
        throw new Libp2pException("malformed HTTP header line '" + lines[i] + "'");
      }
      headers.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(c + 1).trim());
    }
    return new Head(start, headers);
  }

  /**
   * Reads a body framed by content-length or chunked encoding; with neither, reads to end of
   * stream when {@code untilEof}, else returns an empty body.
   */
  static byte[] readBody(InputStream in, Head head, long maxBody, boolean untilEof) throws IOException {
    // a body is read into one array: a longer one is too large whatever the limit
    maxBody = Math.min(maxBody, MAX_ARRAY);
    String te = head.header("transfer-encoding");
    String cl = head.header("content-length");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return readChunked(in, maxBody);
    }
    if (cl != null) {
      long len;
      try {
        len = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        throw new Libp2pException("invalid content-length '" + cl + "'");
      }
      if (len < 0 || len > maxBody) {
        throw new BodyTooLargeException("HTTP body of " + len + " bytes exceeds " + maxBody);
      }
      byte[] body = in.readNBytes((int) len);
      if (body.length != len) {
        throw new Libp2pException("stream ended inside an HTTP body");
      }
      return body;
    }
    if (!untilEof) {
      return new byte[0];
    }
    byte[] body = in.readNBytes((int) Math.min(maxBody + 1, MAX_ARRAY));
    if (body.length > maxBody) {
      throw new BodyTooLargeException("HTTP body exceeds " + maxBody + " bytes");
    }
    return body;
  }

  private static byte[] readChunked(InputStream in, long maxBody) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in);
      int semi = line.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new Libp2pException("invalid chunk size '" + line + "'");
      }
      // size > maxBody - out.size(), not out.size() + size > maxBody: a size near Long.MAX_VALUE overflows the sum
      if (size < 0 || size > maxBody - out.size()) {
        throw new BodyTooLargeException("HTTP chunked body exceeds " + maxBody + " bytes");
      }
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers are ignored
        }
        return out.toByteArray();
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length != size) {
        throw new Libp2pException("stream ended inside an HTTP chunk");
      }
      out.writeBytes(chunk);
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new Libp2pException("stream ended inside a chunked body");
      }
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      if (sb.length() > 1024) {
        throw new Libp2pException("chunk line too long");
      }
      sb.append((char) b);
    }
  }

  /** Writes a head and a body (with content-length unless the headers frame the body otherwise). */
  static byte[] encode(String startLine, Map<String, List<String>> headers, byte[] body, boolean addLength) {
    StringBuilder sb = new StringBuilder(startLine).append("\r\n");
    headers.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append("\r\n")));
    if (addLength && !headers.containsKey("content-length") && !headers.containsKey("transfer-encoding")) {
      sb.append("content-length: ").append(body.length).append("\r\n");
    }
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }
}
