package io.gossipnet.http;

import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.PathTemplate;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An HTTP handler with its path template and the methods it serves, contributed through {@link
 * HttpServicesModule#routes}. A request to the path with another method gets {@code 405} with an
 * {@code Allow} header, on every transport.
 *
 * @param path the path template ({@code {name}} segments, a trailing {@code {name:*}}; {@code
 *     {genesisID}} is the node's genesis ID)
 * @param methods the methods served, upper case; empty for every method
 * @param handler the handler
 */
public record HttpRoute(String path, Set<String> methods, HttpHandler handler) {
  /**
   * Checks the template and normalises the methods to upper case.
   *
   * @throws IllegalArgumentException if the path is not a template starting with '/'
   */
  public HttpRoute {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/': " + path);
    }
    PathTemplate.parse(path);
    Set<String> upper = new TreeSet<>();
    for (String m : methods == null ? Set.<String>of() : methods) {
      upper.add(m.toUpperCase(Locale.ROOT));
    }
    methods = Set.copyOf(upper);
  }

  /** A route serving {@code methods} (for example {@code "GET", "PUT"}) at {@code path}. */
  public static HttpRoute of(String path, HttpHandler handler, String... methods) {
    return new HttpRoute(path, Set.of(methods), handler);
  }
}
