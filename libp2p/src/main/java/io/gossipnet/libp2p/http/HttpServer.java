package io.gossipnet.libp2p.http;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.StreamHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of HTTP over libp2p ({@value #PROTOCOL}): bind it with {@code
 * host.setStreamHandler(HttpServer.PROTOCOL, server)}. As the libp2p HTTP specification has it,
 * application protocols are <em>mounted</em> at path prefixes and listed in the protocol map at
 * {@value #WELL_KNOWN_PATH}; the server only picks the mount with the longest matching prefix and
 * leaves routing within it to the mount's one handler (a node mounts its own router at {@code /}).
 * A path under no mount gets 404; a declared body over the limit gets 413 before it is read; a
 * body that cannot be read gets 400; a handler that throws gets 500. One request per stream: the
 * response carries {@code connection: close} and the stream is closed for writing after it.
 *
 * <p>A connection has at most {@link #maxConcurrentRequestsPerConnection()} requests served at
 * once (bodies are read whole before the handler runs, so this bounds what one connection makes
 * the server hold to that many bodies); a stream past it is answered 503 with {@code retry-after}
 * before its request is read, and counted ({@code request.refused.concurrency}, {@link #metric}).
 */
public final class HttpServer implements StreamHandler {
  /** The stream protocol ID. */
  public static final String PROTOCOL = "/http/1.1";
  /** The protocol map path. */
  public static final String WELL_KNOWN_PATH = "/.well-known/libp2p/protocols";
  /** Default largest request body. */
  public static final long DEFAULT_MAX_BODY = 8L * 1024 * 1024;
  /** Default most requests served at once per connection. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS_PER_CONNECTION = 16;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private record Mount(String protocolId, String prefix, HttpHandler handler) {
    boolean covers(String path) {
      return prefix.equals("/")
          || path.equals(prefix)
          || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }
  }

  private final Map<String, Mount> mounts = new ConcurrentHashMap<>();
  private final long maxBody;
  private final int maxConcurrent;
  /** Requests being served per connection; a connection with none has no entry. */
  private final Map<Connection, Integer> inFlight = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  /** A server with the default limits. */
  public HttpServer() {
    this(DEFAULT_MAX_BODY);
  }

  /** A server accepting request bodies up to {@code maxBody} bytes. */
  public HttpServer(long maxBody) {
    this(maxBody, DEFAULT_MAX_CONCURRENT_REQUESTS_PER_CONNECTION);
  }

  /**
   * A server accepting request bodies up to {@code maxBody} bytes and serving at most {@code
   * maxConcurrentRequestsPerConnection} requests of one connection at once.
   */
  public HttpServer(long maxBody, int maxConcurrentRequestsPerConnection) {
    if (maxBody < 0) {
      throw new IllegalArgumentException("maxBody must not be negative: " + maxBody);
    }
    if (maxConcurrentRequestsPerConnection < 1) {
      throw new IllegalArgumentException("maxConcurrentRequestsPerConnection must be positive: "
          + maxConcurrentRequestsPerConnection);
    }
    this.maxBody = maxBody;
    this.maxConcurrent = maxConcurrentRequestsPerConnection;
  }

  /** The largest request body read. */
  public long maxBody() {
    return maxBody;
  }

  /** The most requests of one connection served at once. */
  public int maxConcurrentRequestsPerConnection() {
    return maxConcurrent;
  }

  /** Requests being served now, over all connections. */
  public int requestsInFlight() {
    return inFlight.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The value of one counter ({@code request.refused.concurrency}); 0 if never counted. */
  public long metric(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /**
   * Mounts {@code handler} at {@code prefix}: it serves the prefix itself and every path below it
   * ({@code /} serves every path). The mount is listed under {@code protocolId} in the protocol
   * map (null to leave it out). Mounting at a prefix again replaces that mount.
   *
   * @throws IllegalArgumentException if the prefix does not start with '/'
   */
  public HttpServer mount(String protocolId, String prefix, HttpHandler handler) {
    if (prefix == null || !prefix.startsWith("/")) {
      throw new IllegalArgumentException("a mount prefix starts with '/': " + prefix);
    }
    String key = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    mounts.put(key, new Mount(protocolId, key, java.util.Objects.requireNonNull(handler, "handler")));
    return this;
  }

  /** Removes the mount at {@code prefix}. */
  public void unmount(String prefix) {
    String key = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    mounts.remove(key);
  }

  @Override
  public void handle(Stream stream) throws IOException {
    Connection c = stream.connection();
    if (!enter(c)) {
      counters.computeIfAbsent("request.refused.concurrency", k -> new LongAdder()).increment();
      LOG.debug("refusing a request of {}: {} requests of its connection in progress", c.remotePeerId(), maxConcurrent);
      // the request is left unread: the host discards it when the stream closes
      respond(stream, new HttpResponse(503, Map.of("content-type", List.of("text/plain"), "retry-after", List.of("1")),
          ("more than " + maxConcurrent + " concurrent requests on this connection")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return;
    }
    try {
      serveStream(stream);
    } finally {
      inFlight.computeIfPresent(c, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Takes a place among the requests of {@code c} served at once; false if none is left. */
  private boolean enter(Connection c) {
    boolean[] entered = new boolean[1];
    inFlight.compute(c, (k, n) -> {
      int held = n == null ? 0 : n;
      if (held >= maxConcurrent) {
        return n;
      }
      entered[0] = true;
      return held + 1;
    });
    return entered[0];
  }

  private void serveStream(Stream stream) throws IOException {
    stream.setReadTimeout(REQUEST_TIMEOUT);
    HttpWire.Head head;
    try {
      head = HttpWire.readHead(stream.in());
    } catch (Libp2pException e) {
      respond(stream, HttpResponse.text(400, "text/plain", "bad request: " + e.getMessage()));
      return;
    }
    if (head == null) {
      return;
    }
    respond(stream, serve(stream, head));
  }

  private HttpResponse serve(Stream stream, HttpWire.Head head) {
    String method = head.startLine()[0];
    String target = head.startLine()[1];
    String path = pathOf(target);
    Mount mount = mountFor(path);
    if (mount == null) {
      if (path.equals(WELL_KNOWN_PATH)) {
        return method.equals("GET") || method.equals("HEAD")
            ? HttpResponse.text(200, "application/json", protocolMapJson())
            : new HttpResponse(405, Map.of("content-type", List.of("text/plain"), "allow", List.of("GET, HEAD")),
                "method not allowed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return HttpResponse.text(404, "text/plain", "not found");
    }
    long declared = declaredLength(head);
    if (declared == -2) {
      return HttpResponse.text(400, "text/plain", "bad request: invalid content-length");
    }
    HttpResponse refusal = mount.handler().admit(method, target, declared);
    if (refusal != null) {
      return refusal;
    }
    if (declared > maxBody) {
      return HttpResponse.text(413, "text/plain", "request body over " + maxBody + " bytes");
    }
    byte[] body;
    try {
      body = HttpWire.readBody(stream.in(), head, maxBody, false);
    } catch (HttpWire.BodyTooLargeException e) {
      return HttpResponse.text(413, "text/plain", "request body over " + maxBody + " bytes");
    } catch (IOException e) {
      return HttpResponse.text(400, "text/plain", "bad request: " + e.getMessage());
    }
    try {
      HttpResponse r = mount.handler().handle(new HttpRequest(method, target, head.headers(), body));
      if (r == null) {
        LOG.info("HTTP handler for {} returned no response", path);
        return HttpResponse.text(500, "text/plain", "internal error");
      }
      return r;
    } catch (Exception e) {
      LOG.info("HTTP handler for {} failed: {}", path, e.toString());
      return HttpResponse.text(500, "text/plain", "internal error");
    }
  }

  private static void respond(Stream stream, HttpResponse response) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(response.headers());
    headers.put("connection", List.of("close"));
    stream.out().write(HttpWire.encode("HTTP/1.1 " + response.status() + " " + reason(response.status()),
        headers, response.body(), true));
    stream.closeWrite();
  }

  private Mount mountFor(String path) {
    Mount best = null;
    for (Mount m : mounts.values()) {
      if (m.covers(path) && (best == null || m.prefix().length() > best.prefix().length())) {
        best = m;
      }
    }
    return best;
  }

  /** The declared length: -1 if none or chunked, -2 if malformed. */
  private static long declaredLength(HttpWire.Head head) {
    String te = head.header("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return -1;
    }
    String cl = head.header("content-length");
    if (cl == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(cl.trim());
      return n < 0 ? -2 : n;
    } catch (NumberFormatException e) {
      return -2;
    }
  }

  private static String pathOf(String target) {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** The protocol map, {@code {"<protocol>":{"path":"<prefix>"}}}. */
  public String protocolMapJson() {
    StringBuilder sb = new StringBuilder("{");
    Map<String, String> byProtocol = new TreeMap<>();
    for (Mount m : mounts.values()) {
      if (m.protocolId() != null) {
        byProtocol.put(m.protocolId(), m.prefix());
      }
    }
    byProtocol.forEach((p, path) -> {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(Json.quote(p)).append(":{\"path\":").append(Json.quote(path)).append('}');
    });
    return sb.append('}').toString();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
