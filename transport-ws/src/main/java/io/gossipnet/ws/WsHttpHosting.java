package io.gossipnet.ws;

import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.PathTemplate;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.core.spi.HttpHosting;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP on the WebSocket transport: handlers registered by {@link PathTemplate} are served by the
 * node's Jetty server (the most specific template wins, as on every transport), and {@link
 * #client(String)} gives a {@code java.net.http} client bound to one peer. The engine wraps that
 * client with the per-address rate limit.
 */
final class WsHttpHosting implements HttpHosting {
  private static final Logger log = LoggerFactory.getLogger(WsHttpHosting.class);
  /** Headers java.net.http sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive", "te", "trailer");

  private final WsConfig ws;
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private volatile HttpClient client;

  private record Route(PathTemplate template, HttpHandler handler) {}

  WsHttpHosting(WsConfig ws) {
    this.ws = ws;
  }

  void startClient() {
    client =
        HttpClient.newBuilder()
            .connectTimeout(ws.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  void stop() {
    HttpClient c = client;
    if (c != null) {
      c.shutdownNow();
      c.close();
    }
  }

  @Override
  public void register(String pathTemplate, HttpHandler handler) {
    routes.add(new Route(PathTemplate.parse(pathTemplate), handler));
  }

  /** Serves a request that is not for the gossip endpoint. Runs on a Jetty pool thread; may block. */
  void serve(Request request, Response response, Callback callback, String path) {
    Route best = null;
    Map<String, String> vars = null;
    for (Route r : routes) {
      Map<String, String> m = r.template.match(path);
      if (m != null && (best == null || r.template.literalSegments() > best.template.literalSegments())) {
        best = r;
        vars = m;
      }
    }
    if (best == null) {
      WsTransport.writeText(response, callback, 404, "not found");
      return;
    }
    long declared = request.getLength();
    if (declared > ws.maxRequestBodySize()) {
      WsTransport.writeText(response, callback, 413, "request body over " + ws.maxRequestBodySize() + " bytes");
      return;
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(ws.maxRequestBodySize() + 1);
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    if (body.length > ws.maxRequestBodySize()) {
      WsTransport.writeText(response, callback, 413, "request body over " + ws.maxRequestBodySize() + " bytes");
      return;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField f : request.getHeaders()) {
      headers.computeIfAbsent(f.getLowerCaseName(), k -> new java.util.ArrayList<>()).add(f.getValue());
    }
    String query = request.getHttpURI().getQuery();
    HttpRequest req = new HttpRequest(request.getMethod(), path, query, headers, vars, body);
    HttpResponse res;
    try {
      res = best.handler.handle(req);
    } catch (Exception e) {
      log.info("HTTP handler for {} failed: {}", best.template, e.toString());
      WsTransport.writeText(response, callback, 500, "handler failed");
      return;
    }
    response.setStatus(res.status());
    res.headers().forEach((name, values) -> {
      for (String v : values) {
        response.getHeaders().add(name, v);
      }
    });
    response.write(true, ByteBuffer.wrap(res.body()), callback);
  }

  @Override
  public PeerHttpClient client(String address) {
    String canonical = WsAddresses.canonical(address);
    String key = address.trim();
    return new PeerHttpClient() {
      // The address as given: it is the key of the engine's per-address rate limit (the phonebook's).
      @Override
      public String address() {
        return key;
      }

      @Override
      public HttpResponse send(HttpRequest request) throws IOException {
        HttpClient c = client;
        if (c == null) {
          throw new IOException("transport not started");
        }
        if (!request.path().startsWith("/")) {
          throw new IOException("request path must start with '/': " + request.path());
        }
        URI uri = URI.create(canonical + request.path() + (request.query().isEmpty() ? "" : "?" + request.query()));
        java.net.http.HttpRequest.Builder b =
            java.net.http.HttpRequest.newBuilder(uri)
                .timeout(ws.handshakeTimeout())
                .method(request.method(), java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body()))
                .header("User-Agent", ws.userAgent());
        request.headers().forEach((name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!RESTRICTED.contains(lower) && !lower.equals("user-agent")) {
            for (String v : values) {
              b.header(name, v);
            }
          }
        });
        java.net.http.HttpResponse<InputStream> r;
        try {
          r = c.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("request to " + canonical + " interrupted");
        }
        byte[] body;
        try (InputStream in = r.body()) {
          body = in.readNBytes(ws.maxResponseBodySize() + 1);
        }
        if (body.length > ws.maxResponseBodySize()) {
          throw new IOException("response from " + canonical + " is over " + ws.maxResponseBodySize() + " bytes");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return new HttpResponse(r.statusCode(), headers, body);
      }
    };
  }
}
