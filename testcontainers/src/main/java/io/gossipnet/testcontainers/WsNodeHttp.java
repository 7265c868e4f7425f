package io.gossipnet.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@link NodeHttp} of a WS node: plain HTTP/1.1 with {@link HttpClient} to the container's
 * mapped port, where the node's Jetty server serves its HTTP API.
 *
 * @param alias the node's alias, for messages
 * @param base {@code http://HOST:PORT} of the mapped port
 * @param genesis the node's genesis ID, part of the demo API's paths
 */
public record WsNodeHttp(String alias, URI base, String genesis) implements NodeHttp {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public Answer send(String method, String target, byte[] body) {
    HttpRequest.BodyPublisher publisher =
        body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest request = HttpRequest.newBuilder(base.resolve(target)).method(method, publisher).timeout(REQUEST_TIMEOUT).build();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(alias + ": " + method + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
