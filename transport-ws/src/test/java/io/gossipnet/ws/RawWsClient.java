package io.gossipnet.ws;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client on a plain socket, for tests that must send what a well-behaved client never
 * would: malformed handshakes, text frames, fragments, oversized frames, or nothing at all.
 */
final class RawWsClient implements AutoCloseable {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CONTINUATION = 0;
  static final int CLOSE = 8;
  static final int PING = 9;

  private static final SecureRandom RANDOM = new SecureRandom();
  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  int status;
  final Map<String, String> headers = new LinkedHashMap<>();

  /** A server frame. */
  record Frame(int opcode, byte[] payload) {
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private RawWsClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    socket.setSoTimeout(10_000);
  }

  /** Headers of a valid gossip handshake for {@code genesis} from a node with a fresh random ID. */
  static Map<String, String> validHeaders(String genesis) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Algorand-NodeRandom", Base64.getEncoder().encodeToString(random));
    h.put("X-Algorand-Accept-Version", "2.2");
    h.put("X-Algorand-Version", "2.2");
    h.put("X-Algorand-Genesis", genesis);
    return h;
  }

  /** Opens a socket and sends an upgrade request for {@code path} with these extra headers. */
  static RawWsClient upgrade(int port, String path, Map<String, String> extra) throws IOException {
    RawWsClient c = sendUpgrade(port, path, extra);
    c.readResponseHead();
    return c;
  }

  /**
   * Opens a socket and sends an upgrade request without waiting for the answer: many such
   * requests are handled by the server at once; {@link #readResponse()} reads the answer.
   */
  static RawWsClient sendUpgrade(int port, String path, Map<String, String> extra) throws IOException {
    RawWsClient c = new RawWsClient(new Socket(InetAddress.getLoopbackAddress(), port));
    c.sendUpgradeRequest(port, path, extra);
    return c;
  }

  /** Sends an upgrade request on this (connected, so far silent) socket; {@link #readResponse()} reads the answer. */
  void sendUpgradeRequest(int port, String path, Map<String, String> extra) throws IOException {
    RawWsClient c = this;
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    StringBuilder req = new StringBuilder()
        .append("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n")
        .append("User-Agent: raw-test\r\n");
    for (Map.Entry<String, String> e : extra.entrySet()) {
      req.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    req.append("\r\n");
    c.out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    c.out.flush();
  }

  /** Reads the answer to a request sent with {@link #sendUpgrade}; returns its status. */
  int readResponse() throws IOException {
    readResponseHead();
    return status;
  }

  /** Opens a socket and sends a plain GET. */
  static RawWsClient get(int port, String path) throws IOException {
    return get(port, path, Map.of());
  }

  /** Opens a socket and sends a plain GET (no upgrade) with these headers. */
  static RawWsClient get(int port, String path, Map<String, String> extra) throws IOException {
    RawWsClient c = new RawWsClient(new Socket(InetAddress.getLoopbackAddress(), port));
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    extra.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    c.out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    c.out.flush();
    c.readResponseHead();
    return c;
  }

  /** Opens a socket and sends nothing. */
  static RawWsClient idle(int port) throws IOException {
    return new RawWsClient(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  private void readResponseHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the response head: " + head);
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    status = Integer.parseInt(lines[0].split(" ")[1]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
  }

  /** Sends one masked frame. */
  void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
    sendFrameStart(opcode, payload.length, payload, fin);
  }

  /**
   * Sends the header of a masked frame that announces {@code declaredLength} payload bytes, then only
   * {@code payload} (the start of that payload, or all of it).
   */
  void sendFrameStart(int opcode, long declaredLength, byte[] payload, boolean fin) throws IOException {
    out.write(frame(opcode, declaredLength, payload, fin));
    out.flush();
  }

  /** Sends one masked frame in {@code pieces} writes, each flushed, as a slow network delivers it. */
  void sendFrameInPieces(int opcode, byte[] payload, int pieces) throws IOException {
    byte[] f = frame(opcode, payload.length, payload, true);
    int step = (f.length + pieces - 1) / pieces;
    for (int at = 0; at < f.length; at += step) {
      out.write(f, at, Math.min(step, f.length - at));
      out.flush();
    }
  }

  /**
   * Sends more payload of the frame that {@link #sendFrameStart} began, masked where that frame's
   * payload left off.
   */
  void sendFrameRest(byte[] rest) throws IOException {
    byte[] masked = rest.clone();
    for (int i = 0; i < masked.length; i++) {
      masked[i] ^= lastMask[(int) ((lastMasked + i) & 3)];
    }
    lastMasked += masked.length;
    out.write(masked);
    out.flush();
  }

  private byte[] lastMask = new byte[4];
  private long lastMasked;

  private byte[] frame(int opcode, long declaredLength, byte[] payload, boolean fin) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write((fin ? 0x80 : 0) | opcode);
    long len = declaredLength;
    if (len < 126) {
      f.write(0x80 | (int) len);
    } else if (len <= 0xffff) {
      f.write(0x80 | 126);
      f.write((int) (len >> 8));
      f.write((int) len);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) (len >> (8 * i)));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.write(mask, 0, 4);
    byte[] masked = payload.clone();
    for (int i = 0; i < masked.length; i++) {
      masked[i] ^= mask[i & 3];
    }
    f.write(masked, 0, masked.length);
    lastMask = mask;
    lastMasked = masked.length;
    return f.toByteArray();
  }

  /** Sends a gossip message: tag then payload, as one binary frame. */
  void sendMessage(String tag, byte[] payload) throws IOException {
    byte[] m = new byte[payload.length + 2];
    m[0] = (byte) tag.charAt(0);
    m[1] = (byte) tag.charAt(1);
    System.arraycopy(payload, 0, m, 2, payload.length);
    sendFrame(BINARY, m, true);
  }

  /** Reads the next server frame. */
  Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    if (len > 16 << 20) {
      throw new IOException("frame too large for a test: " + len);
    }
    byte[] p = new byte[(int) len];
    in.readFully(p);
    return new Frame(b0 & 0x0f, p);
  }

  /**
   * Reads until the server closes: returns its close code, 0 if the TCP connection ended without a
   * close frame, or -2 if nothing happened within {@code timeout}.
   */
  int awaitClose(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      while (true) {
        Frame f = readFrame();
        if (f.opcode() == CLOSE) {
          return f.closeCode();
        }
      }
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (EOFException | java.net.SocketException e) {
      return 0;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
