package io.gossipnet.testcontainers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node's HTTP API as the test host reaches it: plain HTTP to a WS node's mapped port ({@link
 * WsNodeHttp}), HTTP over libp2p to a P2P node ({@link P2pNodeHttp}); a hybrid node answers both
 * (one router), so a test can hold a view of each.
 *
 * <p>{@link #send} is any request to any path, for an application's own endpoints; the other
 * methods read the node's built-in ones ({@code /status}, {@code /v1/peers}, {@code /metrics}) and
 * the demo API of {@code gossipnet run --demo-api} ({@code broadcast}, {@code received}), checking
 * that the node answered 200 with what those endpoints promise.
 */
public interface NodeHttp {
  /** The JSON reader of the answers. */
  ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * An answer of the node.
   *
   * @param status the HTTP status
   * @param body the body as UTF-8 text
   */
  record Answer(int status, String body) {}

  /**
   * The node's alias, for messages.
   *
   * @return the alias
   */
  String alias();

  /**
   * The node's genesis ID, part of the demo API's paths (and of most application paths, {@code
   * /v1/{genesisID}/...}).
   *
   * @return the genesis ID
   */
  String genesis();

  /**
   * Sends one request and returns the answer, whatever its status.
   *
   * @param method {@code GET}, {@code PUT}, {@code POST}, ...
   * @param target the path and query
   * @param body the request body (empty for none)
   * @return the node's answer
   * @throws java.io.UncheckedIOException if the request could not be sent or answered
   */
  Answer send(String method, String target, byte[] body);

  /**
   * {@code GET target}.
   *
   * @param target the path and query
   * @return the node's answer, whatever its status
   */
  default Answer get(String target) {
    return send("GET", target, new byte[0]);
  }

  /**
   * Sends one request and returns the body of a 200 answer.
   *
   * @param method the method
   * @param target the path and query
   * @param body the request body (empty for none)
   * @return the answer's body as UTF-8 text
   * @throws AssertionError if the node answered with another status
   * @throws java.io.UncheckedIOException if the request could not be sent or answered
   */
  default String exchange(String method, String target, byte[] body) {
    Answer answer = send(method, target, body);
    if (answer.status() != 200) {
      throw new AssertionError(alias() + ": " + method + " " + target + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.body();
  }

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
    JsonNode root = parse(body);
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
   * {@code POST /v1/{genesis}/demo/broadcast} of a UTF-8 text on tag TX.
   *
   * @param message the text
   * @return the message ID the node answered (SHA-256 hex of its UTF-8 bytes)
   */
  default String broadcast(String message) {
    return broadcast(message.getBytes(StandardCharsets.UTF_8));
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
    if (id == null || !id.isString()) {
      throw new AssertionError(alias() + ": broadcast answered without an \"id\": " + answer);
    }
    return id.asString();
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
    ids.forEach(id -> result.add(id.asString()));
    return result;
  }

  private String demo(String action) {
    return "/v1/" + genesis() + "/demo/" + action;
  }

  private JsonNode json(String body) {
    JsonNode node = parse(body);
    if (node == null || !node.isObject()) {
      throw new AssertionError(alias() + ": expected a JSON object, got: " + body);
    }
    return node;
  }

  private JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      throw new AssertionError(alias() + ": not JSON: " + body, e);
    }
  }
}
