package io.gossipnet.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A node's HTTP API as the tests use it, over {@link HttpClient} to the container's mapped port:
 * {@code GET /status}, and the demo API ({@code --demo-api}) to broadcast a message and list the
 * IDs of the messages the node has received.
 *
 * @param alias the node's alias, for messages
 * @param base {@code http://HOST:PORT} of the mapped port
 * @param genesis the node's genesis ID, part of the demo API's paths
 */
public record NodeHttp(String alias, URI base, String genesis) {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * {@code GET /status}.
   *
   * @return the JSON object the node answered with 200
   */
  public JsonNode status() {
    return json(send(HttpRequest.newBuilder(base.resolve("/status")).GET()));
  }

  /**
   * The {@code peers} count of {@link #status()}.
   *
   * @return the number of peers the node is connected to
   */
  public int peers() {
    JsonNode peers = status().get("peers");
    if (peers == null || !peers.canConvertToInt()) {
      throw new AssertionError(alias + ": /status has no integer \"peers\"");
    }
    return peers.asInt();
  }

  /**
   * {@code POST /v1/{genesis}/demo/broadcast}: the node broadcasts the message on tag TX.
   *
   * @param message the message bytes
   * @return the message ID the node answered (SHA-256 hex of the bytes)
   */
  public String broadcast(byte[] message) {
    JsonNode answer =
        json(send(HttpRequest.newBuilder(demo("broadcast")).POST(HttpRequest.BodyPublishers.ofByteArray(message))));
    JsonNode id = answer.get("id");
    if (id == null || !id.isTextual()) {
      throw new AssertionError(alias + ": broadcast answered without an \"id\": " + answer);
    }
    return id.asText();
  }

  /**
   * {@code GET /v1/{genesis}/demo/received}.
   *
   * @return the IDs of the messages the node has received
   */
  public Set<String> received() {
    JsonNode ids = json(send(HttpRequest.newBuilder(demo("received")).GET())).get("ids");
    if (ids == null || !ids.isArray()) {
      throw new AssertionError(alias + ": received answered without an \"ids\" array");
    }
    Set<String> result = new LinkedHashSet<>();
    ids.forEach(id -> result.add(id.asText()));
    return result;
  }

  private URI demo(String action) {
    return base.resolve("/v1/" + genesis + "/demo/" + action);
  }

  private String send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
    try {
      HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new AssertionError(
            alias + ": " + built.method() + " " + built.uri().getPath() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(alias + ": " + built.method() + " " + built.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode json(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new AssertionError(alias + ": expected a JSON object, got: " + body);
      }
      return node;
    } catch (IOException e) {
      throw new AssertionError(alias + ": not JSON: " + body, e);
    }
  }
}
