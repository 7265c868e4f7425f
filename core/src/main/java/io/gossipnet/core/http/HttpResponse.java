package io.gossipnet.core.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A transport-neutral HTTP response.
 *
 * @param status the status code
 * @param headers header names in lower case to their values
 * @param body the body (empty array if none)
 */
public record HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {
  /** Normalises absent parts. */
  public HttpResponse {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? new byte[0] : body;
  }

  /** A response with a plain-text body. */
  public static HttpResponse text(int status, String text) {
    return new HttpResponse(
        status,
        Map.of("content-type", List.of("text/plain; charset=utf-8")),
        text.getBytes(StandardCharsets.UTF_8));
  }

  /** A response with a JSON body. */
  public static HttpResponse json(int status, String json) {
    return new HttpResponse(
        status,
        Map.of("content-type", List.of("application/json")),
        json.getBytes(StandardCharsets.UTF_8));
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
