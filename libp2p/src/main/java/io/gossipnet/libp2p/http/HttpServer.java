package io.gossipnet.libp2p.http;

import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.StreamHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of HTTP over libp2p ({@value #PROTOCOL}): bind it with
 * {@code host.setStreamHandler(HttpServer.PROTOCOL, server)}. Routes match the exact path; unknown
 * paths get 404 and disallowed methods 405. {@value #WELL_KNOWN_PATH} lists the registered
 * protocol IDs and their paths as JSON.
 */
public final class HttpServer implements StreamHandler {
  /** The stream protocol ID. */
  public static final String PROTOCOL = "/http/1.1";
  /** The protocol map path. */
  public static final String WELL_KNOWN_PATH = "/.well-known/libp2p/protocols";
  /** Default largest request body. */
  public static final long DEFAULT_MAX_BODY = 8L * 1024 * 1024;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private record Route(Set<String> methods, HttpHandler handler) {}

  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, String> protocolPaths = new ConcurrentHashMap<>();
  private final long maxBody;

  /** A server with the default body limit. */
  public HttpServer() {
    this(DEFAULT_MAX_BODY);
  }

  /** A server accepting request bodies up to {@code maxBody} bytes. */
  public HttpServer(long maxBody) {
    this.maxBody = maxBody;
  }

  /**
   * Serves {@code path} for {@code methods} (empty for any) and lists it under {@code protocolId}
   * in the well-known protocol map (null to leave it out).
   */
  public HttpServer route(String protocolId, String path, Set<String> methods, HttpHandler handler) {
    routes.put(path, new Route(Set.copyOf(methods), handler));
    if (protocolId != null) {
      protocolPaths.put(protocolId, path);
    }
    return this;
  }

  /** Removes the route of {@code path}. */
  public void removeRoute(String path) {
    routes.remove(path);
    protocolPaths.values().remove(path);
  }

  @Override
  public void handle(Stream stream) throws IOException {
    stream.setReadTimeout(REQUEST_TIMEOUT);
    HttpWire.Head head = HttpWire.readHead(stream.in());
    if (head == null) {
      return;
    }
    HttpResponse response;
    try {
      byte[] body = HttpWire.readBody(stream.in(), head, maxBody, false);
      HttpRequest request = new HttpRequest(head.startLine()[0], head.startLine()[1], head.headers(), body);
      response = dispatch(request);
    } catch (IOException e) {
      response = HttpResponse.text(400, "text/plain", "bad request: " + e.getMessage());
    }
    Map<String, List<String>> headers = new TreeMap<>(response.headers());
    headers.put("connection", List.of("close"));
    stream.out().write(HttpWire.encode("HTTP/1.1 " + response.status() + " " + reason(response.status()),
        headers, response.body(), true));
    stream.closeWrite();
  }

  private HttpResponse dispatch(HttpRequest request) {
    if (request.path().equals(WELL_KNOWN_PATH) && !routes.containsKey(WELL_KNOWN_PATH)) {
      if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
        return HttpResponse.text(405, "text/plain", "method not allowed");
      }
      return HttpResponse.text(200, "application/json", protocolMapJson());
    }
    Route route = routes.get(request.path());
    if (route == null) {
      return HttpResponse.text(404, "text/plain", "not found");
    }
    if (!route.methods().isEmpty() && !route.methods().contains(request.method())) {
      return HttpResponse.text(405, "text/plain", "method not allowed");
    }
    try {
      return route.handler().handle(request);
    } catch (Exception e) {
      LOG.warn("HTTP handler for {} failed", request.path(), e);
      return HttpResponse.text(500, "text/plain", "internal error");
    }
  }

  /** The protocol map, {@code {"<protocol>":{"path":"<path>"}}}. */
  public String protocolMapJson() {
    StringBuilder sb = new StringBuilder("{");
    new TreeMap<>(protocolPaths).forEach((p, path) -> {
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
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
