package io.gossipnet.core.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A transport-neutral HTTP request, as served to an {@link HttpHandler} or sent by a {@link
 * PeerHttpClient}.
 *
 * @param method the method, upper case
 * @param path the path, without the query
 * @param query the raw query string, or empty
 * @param headers header names in lower case to their values
 * @param pathVariables values of the route's {@code {name}} segments (empty when sending)
 * @param body the body (empty array if none)
 */
public record HttpRequest(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    Map<String, String> pathVariables,
    byte[] body) {
  /** Checks the required parts. */
  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = query == null ? "" : query;
    headers = headers == null ? Map.of() : headers;
    pathVariables = pathVariables == null ? Map.of() : pathVariables;
    body = body == null ? new byte[0] : body;
  }

  /** A GET of a path. */
  public static HttpRequest get(String path) {
    return new HttpRequest("GET", path, "", Map.of(), Map.of(), new byte[0]);
  }

  /** The first value of a header (name in any case), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
