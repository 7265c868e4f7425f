package io.gossipnet.core.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP router of a node: every transport's HTTP server is a byte adapter around it, so a
 * handler registered once is served the same way over WebSocket's Jetty server, libp2p streams and
 * the in-memory transport.
 *
 * <p>Routing policy:
 *
 * <ul>
 *   <li>Routes are {@link PathTemplate}s, optionally restricted to a set of methods. When several
 *       templates match a path, the most specific wins: comparing segment by segment from the
 *       left, a literal beats a {@code {name}} variable, which beats a trailing {@code {name:*}};
 *       then the longer template wins. Registering the same template again replaces the route.
 *   <li>No template matches: {@code 404}. Templates match but none allows the method: {@code 405}
 *       with an {@code Allow} header listing the methods that would have been served.
 *   <li>A declared body over {@link #maxRequestBodyBytes()} is refused with {@code 413} before any
 *       of it is read; a body of unknown length is read at most one byte past the limit and then
 *       refused the same way.
 *   <li>A handler that throws, or returns null, gives {@code 500} with a fixed body (the
 *       exception is logged, never sent to the peer).
 *   <li>Handlers run on virtual threads, one per request, so they may block.
 * </ul>
 *
 * <p>An adapter calls {@link #route(String, String, long)} with the request line and declared
 * length, answers a {@link Refused} at once, and hands a {@link Matched} the headers and a {@link
 * BodyReader}; the body is read and the handler run on a virtual thread. {@link
 * #serve(HttpRequest)} does both for a request already in memory.
 */
public final class HttpRouter {
  /** Default largest request body: 1 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
  private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("gossipnet-http-", 0).factory();

  private final int maxRequestBodyBytes;
  private final Executor executor;
  private final List<Route> routes = new CopyOnWriteArrayList<>();

  private record Route(PathTemplate template, Set<String> methods, HttpHandler handler) {
    boolean allows(String method) {
      return methods.isEmpty() || methods.contains(method);
    }
  }

  /** A router with the {@link #DEFAULT_MAX_REQUEST_BODY_BYTES} limit. */
  public HttpRouter() {
    this(DEFAULT_MAX_REQUEST_BODY_BYTES);
  }

  /**
   * A router refusing request bodies over {@code maxRequestBodyBytes}.
   *
   * @throws IllegalArgumentException if the limit is negative
   */
  public HttpRouter(int maxRequestBodyBytes) {
    if (maxRequestBodyBytes < 0) {
      throw new IllegalArgumentException("maxRequestBodyBytes must not be negative: " + maxRequestBodyBytes);
    }
    this.maxRequestBodyBytes = maxRequestBodyBytes;
    this.executor = task -> VIRTUAL.newThread(task).start();
  }

  /** The largest request body served to a handler. */
  public int maxRequestBodyBytes() {
    return maxRequestBodyBytes;
  }

  /**
   * Serves {@code handler} at {@code template} for every method.
   *
   * @throws IllegalArgumentException if the template is not valid
   */
  public void register(String template, HttpHandler handler) {
    register(template, Set.of(), handler);
  }

  /**
   * Serves {@code handler} at {@code template} for {@code methods} (any case; empty for every
   * method). A route with the same template replaces the earlier one.
   *
   * @throws IllegalArgumentException if the template is not valid
   */
  public void register(String template, Set<String> methods, HttpHandler handler) {
    Objects.requireNonNull(handler, "handler");
    PathTemplate t = PathTemplate.parse(template);
    Set<String> upper = new TreeSet<>();
    for (String m : methods) {
      upper.add(m.toUpperCase(Locale.ROOT));
    }
    Route route = new Route(t, Set.copyOf(upper), handler);
    synchronized (routes) {
      routes.removeIf(r -> r.template.template().equals(t.template()));
      routes.add(route);
    }
  }

  /** The registered templates, in registration order. */
  public List<String> templates() {
    List<String> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(r.template.template());
    }
    return out;
  }

  /**
   * Routes a request line, before any of its body is read.
   *
   * @param method the method (any case)
   * @param path the path without the query
   * @param declaredBodyLength the declared body length, or -1 if unknown (chunked)
   * @return a refusal to send at once, or the matched route
   */
  public Routing route(String method, String path, long declaredBodyLength) {
    String m = method.toUpperCase(Locale.ROOT);
    Route best = null;
    Map<String, String> bestVars = null;
    Set<String> allowed = new TreeSet<>();
    boolean pathMatched = false;
    for (Route r : routes) {
      Map<String, String> vars = r.template.match(path);
      if (vars == null) {
        continue;
      }
      pathMatched = true;
      if (!r.allows(m)) {
        allowed.addAll(r.methods);
        continue;
      }
      if (best == null || r.template.compareSpecificity(best.template) > 0) {
        best = r;
        bestVars = vars;
      }
    }
    if (best == null) {
      if (!pathMatched) {
        return new Refused(HttpResponse.text(404, "not found"));
      }
      HttpResponse r = HttpResponse.text(405, "method " + m + " not allowed");
      return new Refused(
          new HttpResponse(405, Map.of("content-type", r.headers().get("content-type"), "allow", List.of(String.join(", ", allowed))), r.body()));
    }
    if (declaredBodyLength > maxRequestBodyBytes) {
      return new Refused(tooLarge());
    }
    return new Matched(this, best, m, path, Map.copyOf(bestVars));
  }

  /**
   * Routes and serves a request whose body is already in memory (the in-memory transport; tests).
   * The handler runs on a virtual thread; the future completes with its response or the policy's.
   */
  public CompletableFuture<HttpResponse> serve(HttpRequest request) {
    Routing routing = route(request.method(), request.path(), request.body().length);
    if (routing instanceof Refused refused) {
      return CompletableFuture.completedFuture(refused.response());
    }
    byte[] body = request.body();
    return ((Matched) routing).run(request.query(), request.headers(), max -> body);
  }

  private HttpResponse tooLarge() {
    return HttpResponse.text(413, "request body over " + maxRequestBodyBytes + " bytes");
  }

  /** The outcome of {@link #route(String, String, long)}. */
  public sealed interface Routing permits Refused, Matched {}

  /**
   * A request answered without a handler (404, 405 or 413).
   *
   * @param response the response to send
   */
  public record Refused(HttpResponse response) implements Routing {}

  /** Reads a request body. */
  @FunctionalInterface
  public interface BodyReader {
    /**
     * Reads the body, at most {@code max} bytes (fewer if it ends first). Runs on the handler's
     * virtual thread; may block.
     */
    byte[] read(int max) throws IOException;
  }

  /** A request line that a route will serve. */
  public static final class Matched implements Routing {
    private final HttpRouter router;
    private final Route route;
    private final String method;
    private final String path;
    private final Map<String, String> pathVariables;

    private Matched(HttpRouter router, Route route, String method, String path, Map<String, String> vars) {
      this.router = router;
      this.route = route;
      this.method = method;
      this.path = path;
      this.pathVariables = vars;
    }

    /** The template of the route that matched. */
    public String template() {
      return route.template.template();
    }

    /** The values of the template's variables. */
    public Map<String, String> pathVariables() {
      return pathVariables;
    }

    /**
     * On a virtual thread: reads the body (one byte past the limit at most), then runs the
     * handler. The future completes with the handler's response, 413 for a body over the limit,
     * 400 if the body cannot be read, or 500 if the handler fails; it never completes
     * exceptionally.
     *
     * @param query the raw query string, or empty
     * @param headers header names in lower case to their values
     * @param body reads the body
     */
    public CompletableFuture<HttpResponse> run(String query, Map<String, List<String>> headers, BodyReader body) {
      CompletableFuture<HttpResponse> out = new CompletableFuture<>();
      router.executor.execute(
          () -> {
            try {
              out.complete(runHere(query, headers, body));
            } catch (Throwable t) {
              // An Error from the handler: the peer still gets its answer, and the error goes on.
              out.complete(HttpResponse.text(500, "handler failed"));
              throw t;
            }
          });
      return out;
    }

    private HttpResponse runHere(String query, Map<String, List<String>> headers, BodyReader reader) {
      int limit = router.maxRequestBodyBytes;
      byte[] body;
      try {
        body = reader.read(limit == Integer.MAX_VALUE ? limit : limit + 1);
      } catch (IOException e) {
        return HttpResponse.text(400, "cannot read the request body");
      }
      if (body == null) {
        body = new byte[0];
      }
      if (body.length > limit) {
        return router.tooLarge();
      }
      HttpRequest request = new HttpRequest(method, path, query, headers, pathVariables, body);
      try {
        HttpResponse response = route.handler.handle(request);
        if (response == null) {
          log.info("HTTP handler for {} returned no response", route.template);
          return HttpResponse.text(500, "handler failed");
        }
        return response;
      } catch (Exception e) {
        log.info("HTTP handler for {} failed: {}", route.template, e.toString());
        return HttpResponse.text(500, "handler failed");
      }
    }
  }
}
