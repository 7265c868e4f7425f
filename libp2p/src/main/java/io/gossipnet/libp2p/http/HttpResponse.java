package io.gossipnet.libp2p.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One HTTP response.
 *
 * @param status the status code
 * @param headers header names in lower case, each with its values
 * @param body the body
 */
public record HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {
  /** Copies the headers. */
  public HttpResponse {
    headers = Map.copyOf(headers);
  }

  /** A response with a text body of the given content type. */
  public static HttpResponse text(int status, String contentType, String body) {
    return new HttpResponse(status, Map.of("content-type", List.of(contentType)),
        body.getBytes(StandardCharsets.UTF_8));
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
