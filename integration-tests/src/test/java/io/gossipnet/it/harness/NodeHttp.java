package io.gossipnet.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A node's HTTP API as the tests use it: {@code GET /status}, the demo API ({@code --demo-api}) to
 * broadcast a message on a tag and list the IDs of the messages the node has received, and the
 * node's {@code GET /metrics} (Prometheus text, {@link MetricSample}) and {@code GET /v1/peers} (a
 * JSON array of its peers).
 *
 * <p>Two flavours carry the same requests: {@link WsNodeHttp}, plain HTTP to the container's mapped
 * port (a WS node serves its API on its Jetty server), and {@link P2pNodeHttp}, HTTP over libp2p
 * from the test JVM's own libp2p host to the mapped port (a P2P node serves its API only there).
 * A hybrid node answers both (the same router), so a test can hold one view of each. An
 * implementation supplies {@link #exchange}; the API's paths and JSON are read here, once.
 */
public interface NodeHttp {
  /** The JSON reader of the answers. */
  ObjectMapper JSON = new ObjectMapper();

  /**
   * The node's alias, for messages.
   *
   * @return the alias
   */
  String alias();

  /**
   * The node's genesis ID, part of the demo API's paths.
   *
   * @return the genesis ID
   */
  String genesis();

  /**
   * Sends one request and returns the body of a 200 answer.
   *
   * @param method {@code GET} or {@code POST}
   * @param target the path and query
   * @param body the request body (empty for none)
   * @return the answer's body as UTF-8 text
   * @throws AssertionError if the node answered with another status
   * @throws java.io.UncheckedIOException if the request could not be sent or answered
   */
  String exchange(String method, String target, byte[] body);

  /**
   * {@code GET /status}.
   *
   * @return the JSON object the node answered with 200
   */
  default JsonNode status() {
    return json(exchange("GET", "/status", new byte[0]));
  }

  /**
   * The {@code peers} count of {@link #status()}.
   *
   * @return the number of peers the node is connected to
   */
  default int peers() {
    JsonNode peers = status().get("peers");
    if (peers == null || !peers.canConvertToInt()) {
      throw new AssertionError(alias() + ": /status has no integer \"peers\"");
    }
    return peers.asInt();
  }

  /**
   * {@code GET /metrics}: the node's meters as Prometheus text.
   *
   * @return the samples, in the order the node wrote them
   */
  default List<MetricSample> metrics() {
    return MetricSample.parse(exchange("GET", "/metrics", new byte[0]));
  }

  /**
   * {@code GET /v1/peers} ({@code {"count":N,"peers":[...]}}): one JSON object per connected peer
   * (its {@code id}, {@code address}, {@code network}, {@code direction}, {@code queue} depths and
   * message and byte counts); checks that {@code count} is the number listed.
   *
   * @return the peers the node answered with 200
   */
  default List<JsonNode> peerList() {
    String body = exchange("GET", "/v1/peers", new byte[0]);
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError(alias() + ": /v1/peers is not JSON: " + body, e);
    }
    JsonNode array = root == null ? null : root.path("peers");
    if (array == null || !array.isArray() || root.path("count").asInt(-1) != array.size()) {
      throw new AssertionError(alias() + ": /v1/peers is not {count, peers[count]}: " + body);
    }
    List<JsonNode> peers = new ArrayList<>();
    array.forEach(peers::add);
    return peers;
  }

  /**
   * {@code POST /v1/{genesis}/demo/broadcast}: the node broadcasts the message on tag TX.
   *
   * @param message the message bytes
   * @return the message ID the node answered (SHA-256 hex of the bytes)
   */
  default String broadcast(byte[] message) {
    return broadcast(message, "TX");
  }

  /**
   * {@code POST /v1/{genesis}/demo/broadcast?tag=TAG}: the node broadcasts the message on the tag
   * (over P2P, TX goes over GossipSub and AV over the gossip streams).
   *
   * @param message the message bytes
   * @param tag {@code TX} or {@code AV}
   * @return the message ID the node answered (SHA-256 hex of the bytes)
   */
  default String broadcast(byte[] message, String tag) {
    JsonNode answer = json(exchange("POST", demo("broadcast") + "?tag=" + tag, message));
    JsonNode id = answer.get("id");
    if (id == null || !id.isTextual()) {
      throw new AssertionError(alias() + ": broadcast answered without an \"id\": " + answer);
    }
    return id.asText();
  }

  /**
   * {@code GET /v1/{genesis}/demo/received}.
   *
   * @return the IDs of the messages the node has received (or broadcast itself)
   */
  default Set<String> received() {
    JsonNode ids = json(exchange("GET", demo("received"), new byte[0])).get("ids");
    if (ids == null || !ids.isArray()) {
      throw new AssertionError(alias() + ": received answered without an \"ids\" array");
    }
    Set<String> result = new LinkedHashSet<>();
    ids.forEach(id -> result.add(id.asText()));
    return result;
  }

  private String demo(String action) {
    return "/v1/" + genesis() + "/demo/" + action;
  }

  private JsonNode json(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new AssertionError(alias() + ": expected a JSON object, got: " + body);
      }
      return node;
    } catch (IOException e) {
      throw new AssertionError(alias() + ": not JSON: " + body, e);
    }
  }
}
