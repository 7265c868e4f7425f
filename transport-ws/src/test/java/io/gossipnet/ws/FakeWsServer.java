package io.gossipnet.ws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A WebSocket "server" on a plain socket that answers every upgrade with 101 and whatever headers
 * the test chooses, so the dialing side's response checks can be exercised.
 */
final class FakeWsServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> sockets = new ArrayList<>();
  final AtomicInteger upgrades = new AtomicInteger();

  /** Serves with headers computed from the request headers (lower-case names). */
  FakeWsServer(Function<Map<String, String>, Map<String, String>> responseHeaders) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          synchronized (sockets) {
            sockets.add(s);
          }
          Thread.ofVirtual().start(() -> serve(s, responseHeaders));
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve(Socket s, Function<Map<String, String>, Map<String, String>> responseHeaders) {
    try {
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.write(b);
        matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
      }
      Map<String, String> req = new java.util.HashMap<>();
      for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0) {
          req.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
        }
      }
      String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((req.get("sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
      StringBuilder res = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
          .append("Sec-WebSocket-Accept: ").append(accept).append("\r\n");
      responseHeaders.apply(req).forEach((k, v) -> res.append(k).append(": ").append(v).append("\r\n"));
      s.getOutputStream().write(res.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      upgrades.incrementAndGet();
      while (in.read() >= 0) {
        // hold the connection until the client goes away
      }
    } catch (Exception e) {
      // the test decides what matters
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        s.close();
      }
    }
    acceptor.interrupt();
  }
}
