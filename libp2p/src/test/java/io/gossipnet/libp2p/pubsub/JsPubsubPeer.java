package io.gossipnet.libp2p.pubsub;

import com.google.gson.JsonObject;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.interop.JsPeer;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A js-libp2p GossipSub / Kademlia process ({@code src/test/js-pubsub/peer.mjs}), driven through
 * {@link JsPeer} (the same JSON-lines protocol as the connection-stack interop peer), with the
 * pubsub commands as methods. Without Node or its npm packages the test fails when {@code
 * REQUIRE_NODE=1} (set by {@code bin/setup.d/20-node-packages.sh}) and is skipped otherwise.
 */
public final class JsPubsubPeer implements AutoCloseable {
  private final JsPeer js;

  private JsPubsubPeer(JsPeer js) {
    this.js = js;
  }

  /** The directory of the js pubsub peer, from GOSSIPNET_JS_PUBSUB_PEER_DIR or the source tree. */
  public static Path peerDir() {
    String env = System.getenv("GOSSIPNET_JS_PUBSUB_PEER_DIR");
    return env != null ? Path.of(env) : Path.of("src/test/js-pubsub").toAbsolutePath();
  }

  /**
   * Starts a js peer; options: seed, sign (default true), D, Dlo, Dhi, Dscore, Dout, Dlazy,
   * floodPublish, heartbeatInterval, doPX, prunePeers, pruneBackoff, directConnectTicks, directPeers
   * (a list of multiaddr strings ending in /p2p/), acceptPXThreshold.
   */
  public static JsPubsubPeer start(Map<String, Object> options) throws IOException {
    return new JsPubsubPeer(JsPeer.start(peerDir(), "@libp2p/gossipsub", options));
  }

  /** The js peer's ID. */
  public PeerId peerId() {
    return js.peerId();
  }

  /** The js listen address with /p2p/. */
  public Multiaddr address() {
    return js.address();
  }

  /** Runs a command; fails the test if js reports an error. */
  public JsonObject call(String cmd, Map<String, Object> args) throws Exception {
    return call(cmd, args, 20);
  }

  /** Runs a command with a timeout in seconds; fails the test if js reports an error. */
  public JsonObject call(String cmd, Map<String, Object> args, int timeoutSeconds) throws Exception {
    return js.call(cmd, args, Duration.ofSeconds(timeoutSeconds));
  }

  /** Dials a peer. */
  public void dial(Multiaddr addr) throws Exception {
    call("dial", Map.of("addr", addr.toString()));
  }

  /** Subscribes to a topic. */
  public void subscribe(String topic) throws Exception {
    call("subscribe", Map.of("topic", topic));
  }

  /** Publishes text on a topic. */
  public void publish(String topic, String data) throws Exception {
    call("publish", Map.of("topic", topic, "data", data));
  }

  /** The peer IDs in js's mesh for a topic. */
  public List<String> mesh(String topic) throws Exception {
    return call("mesh", Map.of("topic", topic)).getAsJsonArray("peers").asList().stream()
        .map(e -> e.getAsString()).toList();
  }

  /** The peers js has an open connection to. */
  public List<String> connections() throws Exception {
    return call("connections", Map.of()).getAsJsonArray("peers").asList().stream().map(e -> e.getAsString()).toList();
  }

  /** Events named {@code name} matching {@code filter}. */
  public List<JsonObject> events(String name, Predicate<JsonObject> filter) {
    return js.events(name, filter);
  }

  /** Data of every message event on {@code topic}, in arrival order. */
  public List<String> received(String topic) {
    return events("message", e -> topic.equals(e.get("topic").getAsString())).stream()
        .map(e -> e.get("data").getAsString()).toList();
  }

  /** What the process wrote on stderr. */
  public String stderr() {
    return js.stderr();
  }

  @Override
  public void close() {
    js.close();
  }
}
