package io.gossipnet.libp2p.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request.
 *
 * @param method e.g. GET
 * @param target the request target (path and query)
 * @param headers header names in lower case, each with its values
 * @param body the body (empty when there is none)
 */
public record HttpRequest(String method, String target, Map<String, List<String>> headers, byte[] body) {
  /** Copies the headers. */
  public HttpRequest {
    headers = Map.copyOf(headers);
  }

  /** A GET of {@code target} with no headers. */
  public static HttpRequest get(String target) {
    return new HttpRequest("GET", target, Map.of(), new byte[0]);
  }

  /** A POST of a text body. */
  public static HttpRequest post(String target, String contentType, String body) {
    return new HttpRequest("POST", target, Map.of("content-type", List.of(contentType)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** The path, without the query. */
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** The first value of a header (name in any case), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
