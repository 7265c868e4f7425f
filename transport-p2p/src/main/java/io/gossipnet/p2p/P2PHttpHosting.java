package io.gossipnet.p2p;

import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.http.HttpClient;
import io.gossipnet.libp2p.http.HttpHandler;
import io.gossipnet.libp2p.http.HttpServer;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP over libp2p (inventory 7.5). The server is the libp2p module's {@link HttpServer} with one
 * mount at {@code /} under {@value P2PTransport#HTTP_PROTOCOL_ID}: a byte adapter around the
 * node's {@link HttpRouter}, which refuses from the request head (404, 405, 413) before the body is
 * read. The client opens one {@code /http/1.1} stream per request on a connection to the peer
 * (dialing one if there is none), with {@code connection: close}.
 */
final class P2PHttpHosting implements HttpHosting {
  /** How many times an idempotent request whose connection closed under it is tried in all. */
  private static final int CLOSED_ATTEMPTS = 4;

  /** The methods RFC 9110 calls idempotent: sent again when the connection closed under them. */

  private static final java.util.Set<String> IDEMPOTENT = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private final P2PTransport transport;
  private final P2PConfig p2p;
  private volatile HttpServer server = new HttpServer();

  P2PHttpHosting(P2PTransport transport, P2PConfig p2p) {
    this.transport = transport;
    this.p2p = p2p;
  }

  HttpServer server() {
    return server;
  }

  @Override
  public void serve(HttpRouter router) {
    HttpServer s = new HttpServer(router.maxRequestBodyBytes());
    s.mount(P2PTransport.HTTP_PROTOCOL_ID, "/", new RouterMount(router));
    server = s;
  }

  /** The node's router as the mount's one handler. */
  private record RouterMount(HttpRouter router) implements HttpHandler {
    @Override
    public io.gossipnet.libp2p.http.HttpResponse admit(String method, String target, long declaredLength) {
      if (router.route(method, pathOf(target), declaredLength) instanceof HttpRouter.Refused r) {
        return toLibp2p(r.response());
      }
      return null;
    }

    @Override
    public io.gossipnet.libp2p.http.HttpResponse handle(io.gossipnet.libp2p.http.HttpRequest request) throws Exception {
      String target = request.target();
      int q = target.indexOf('?');
      String path = decodePath(pathOf(target));
      if (path == null) {
        return toLibp2p(HttpResponse.text(400, "bad percent-encoding in the path"));
      }
      HttpRequest req =
          new HttpRequest(request.method(), path, q < 0 ? "" : target.substring(q + 1), request.headers(), Map.of(), request.body());
      return toLibp2p(router.serve(req).get());
    }
  }

  /**
   * The path with its percent-escapes decoded as UTF-8, as Jetty hands the WS side's router its
   * decoded path, so a route's path variables read the same over both transports; null for a
   * malformed escape, an escaped {@code /} (an ambiguous separator, which Jetty refuses too) or
   * bytes that are not UTF-8.
   */
  static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        if (c >= 0x80) {
          out.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
          out.write(c);
        }
        continue;
      }
      if (i + 2 >= raw.length()) {
        return null;
      }
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      int b = (hi << 4) | lo;
      if (b == '/') {
        return null;
      }
      out.write(b);
      i += 2;
    }
    try {
      return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  private static String pathOf(String target) {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  private static io.gossipnet.libp2p.http.HttpResponse toLibp2p(HttpResponse r) {
    return new io.gossipnet.libp2p.http.HttpResponse(r.status(), r.headers(), r.body());
  }

  @Override
  public PeerHttpClient client(String address) {
    String key = address.trim();
    return new PeerHttpClient() {
      @Override
      public String address() {
        return key;
      }

      @Override
      public HttpResponse send(HttpRequest request) throws IOException {
        Host h = transport.host().orElseThrow(() -> new IOException("transport not started"));
        if (!request.path().startsWith("/")) {
          throw new IOException("request path must start with '/': " + request.path());
        }
        Multiaddr ma;
        PeerId peer;
        try {
          ma = Multiaddr.fromString(key);
          peer = ma.peerId().orElseThrow(() -> new IllegalArgumentException("no /p2p/<id>"));
        } catch (RuntimeException e) {
          throw new IOException("not a P2P address: " + key + " (" + e.getMessage() + ")");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> {
          String lower = k.toLowerCase(Locale.ROOT);
          if (!lower.equals("host") && !lower.equals("content-length") && !lower.equals("connection")) {
            headers.computeIfAbsent(lower, x -> new ArrayList<>()).addAll(v);
          }
        });
        String target = request.path() + (request.query().isEmpty() ? "" : "?" + request.query());
        var wire = new io.gossipnet.libp2p.http.HttpRequest(request.method(), target, headers, request.body());
        HttpClient client = new HttpClient(p2p.httpTimeout(), p2p.maxHttpResponseBody());
        // A connection may close under the request (the peer was dropped, or the mesh replaced a
        // connection that carried no gossip stream): an idempotent request is then sent again, on a connection
        // dialed for it, as HTTP clients do with a reused connection that the server closed.
        // The host's dial reuses an open connection to the peer, which may be the one that is
        // closing: a retry waits a little (10, 40, 90 ms) and never takes a connection that failed.
        java.util.Set<Connection> failed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Connection conn = reuse(h, peer, failed);
        io.gossipnet.libp2p.http.HttpResponse r;
        for (int attempt = 1; ; attempt++) {
          if (conn == null) {
            conn = dial(h, ma);
            if (failed.contains(conn)) {
              conn = null;
              pause(attempt);
              conn = reuse(h, peer, failed);
              if (conn == null) {
                conn = dial(h, ma);
              }
            }
          }
          try {
            r = client.send(conn, wire);
            break;
          } catch (IOException | RuntimeException e) {
            boolean closed = !conn.isOpen() || String.valueOf(e.getMessage()).contains("connection closed");
            if (!closed || !IDEMPOTENT.contains(request.method()) || attempt == CLOSED_ATTEMPTS) {
              throw e;
            }
            org.slf4j.LoggerFactory.getLogger(P2PHttpHosting.class)
                .debug("{} {} to {}: connection closed under the request ({}); sending it again", request.method(), target, peer, e.toString());
            failed.add(conn);
            pause(attempt);
            conn = reuse(h, peer, failed);
          }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return new HttpResponse(r.status(), out, r.body());
      }
    };
  }

  /** An open connection to {@code peer} other than those that failed, or null. */
  private static Connection reuse(Host h, PeerId peer, java.util.Set<Connection> failed) {
    for (Connection c : h.connections(peer)) {
      if (c.isOpen() && !failed.contains(c)) {
        return c;
      }
    }
    return null;
  }

  /** The pause before retry {@code attempt} + 1: 10, 40, 90 ms. */
  private static void pause(int attempt) throws InterruptedIOException {
    try {
      Thread.sleep(10L * attempt * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted between retries");
    }
  }

  private Connection dial(Host h, Multiaddr ma) throws IOException {
    try {
      return h.dial(ma).get(p2p.streamTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("dialing " + ma + " interrupted");
    } catch (ExecutionException e) {
      throw new IOException("cannot connect to " + ma + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("cannot connect to " + ma + " within " + p2p.streamTimeout().toMillis() + " ms");
    }
  }
}
