package io.gossipnet.p2p.interop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.interop.JsPeer;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A js-libp2p peer that speaks go-algorand's P2P protocol ({@code
 * transport-p2p/src/test/js-algorand/peer.mjs}), driven through libp2p's {@link JsPeer} (the same
 * JSON-lines protocol as the other js test peers), with its commands and events as methods.
 *
 * <p>As go-algorand does, it opens {@code /algorand-ws/2.2.0} only when its peer ID sorts lower
 * (on inbound connections and on those {@link #dial} made), runs the start-of-stream metadata
 * exchange in the role of its connection's direction, then reads and writes length-prefixed tagged
 * frames; it publishes and receives TX on GossipSub {@code algotx01} (StrictNoSign, BLAKE2b-256
 * message IDs), serves {@code GET /js/hello} under {@code /algorand-http/1.0.0} and fetches paths
 * from peers over libp2p HTTP.
 *
 * <p>Events it reports: {@code metadata} (peerId, opener {@code js}|{@code remote}, role {@code
 * outgoing}|{@code incoming}, the negotiated version, the peer's headers), {@code frame} (peerId,
 * tag, text, base64), {@code tx} (source, msgId hex, text, base64), {@code exchangeFailed},
 * {@code refused}, {@code streamClosed}, {@code connection:open}. Without Node or its npm packages
 * the test fails when {@code REQUIRE_NODE=1} (set by {@code bin/setup.d/20-node-packages.sh}) and
 * is skipped otherwise.
 */
public final class JsAlgorandPeer implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private final JsPeer js;

  private JsAlgorandPeer(JsPeer js) {
    this.js = js;
  }

  /** The directory of the js peer, from GOSSIPNET_JS_ALGORAND_PEER_DIR or this module's source tree. */
  public static Path peerDir() {
    String env = System.getenv("GOSSIPNET_JS_ALGORAND_PEER_DIR");
    return env != null ? Path.of(env) : Path.of("src/test/js-algorand").toAbsolutePath();
  }

  /**
   * Starts a js peer. Options: seed (64 hex: the Ed25519 seed of its key), listen, genesis,
   * version (default {@code 2.2}), acceptVersions (default {@code ["2.2"]}), telemetryId,
   * instanceName, features (comma-separated).
   */
  public static JsAlgorandPeer start(Map<String, Object> options) throws IOException {
    return new JsAlgorandPeer(JsPeer.start(peerDir(), "@libp2p/gossipsub", options));
  }

  /**
   * The seed of the first key, among the seeds {@code 01..01}, {@code 02..02}, ... (32 equal
   * bytes), whose peer ID sorts below ({@code lower}) or above {@code other}: a fixed choice that
   * puts a js peer on the wanted side of the opener rule.
   */
  public static String seedSorting(boolean lower, PeerId other) {
    for (int i = 1; i < 256; i++) {
      byte[] seed = new byte[32];
      java.util.Arrays.fill(seed, (byte) i);
      int c = PrivateKey.fromSeed(seed).peerId().compareTo(other);
      if (lower ? c < 0 : c > 0) {
        return HexFormat.of().formatHex(seed);
      }
    }
    throw new IllegalStateException("no seed of equal bytes sorts " + (lower ? "below " : "above ") + other);
  }

  /** Options with {@code key}/{@code value} pairs, for {@link #start}. */
  public static Map<String, Object> options(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** The js peer's ID. */
  public PeerId peerId() {
    return js.peerId();
  }

  /** The js listen address with /p2p/. */
  public Multiaddr address() {
    return js.address();
  }

  /** Dials a peer as a mesh connection (one on which js opens the gossip stream when it sorts lower). */
  public void dial(String address) throws Exception {
    js.call("dial", Map.of("addr", address), CALL_TIMEOUT);
  }

  /** Writes one frame (tag + UTF-8 text) on the gossip stream to {@code peer}. */
  public void send(PeerId peer, String tag, String text) throws Exception {
    js.call("send", Map.of("peerId", peer.toBase58(), "tag", tag, "text", text), CALL_TIMEOUT);
  }

  /** Publishes a TX (UTF-8 text) on {@code algotx01}; returns its message ID (hex BLAKE2b-256). */
  public String publish(String text) throws Exception {
    return js.call("publish", Map.of("text", text), CALL_TIMEOUT).get("msgId").getAsString();
  }

  /** The peers js knows to be subscribed to {@code algotx01}. */
  public List<String> txSubscribers() throws Exception {
    return strings(js.call("subscribers", Map.of(), CALL_TIMEOUT).getAsJsonArray("peers"));
  }

  /** The peers js has a gossip stream with. */
  public List<String> streams() throws Exception {
    return strings(js.call("streams", Map.of(), CALL_TIMEOUT).getAsJsonArray("peers"));
  }

  /**
   * Fetches {@code path} (with an optional query) from the peer at {@code address} over libp2p
   * HTTP; the answer has status, headers (lower-case names) and body.
   */
  public JsonObject fetch(String address, String method, String path, String body) throws Exception {
    Map<String, Object> args = new LinkedHashMap<>(Map.of("addr", address, "path", path, "method", method));
    if (body != null) {
      args.put("text", body);
    }
    return js.call("fetch", args, CALL_TIMEOUT);
  }

  /** Waits for the {@code metadata} event of the gossip stream with {@code peer}. */
  public JsonObject awaitMetadata(PeerId peer, Duration timeout) {
    return js.awaitEvent("metadata", e -> peer.toBase58().equals(e.get("peerId").getAsString()), timeout);
  }

  /** The text of every frame with {@code tag} js read from {@code peer}, in arrival order. */
  public List<String> frames(PeerId peer, String tag) {
    return js.events("frame", e -> peer.toBase58().equals(e.get("peerId").getAsString()) && tag.equals(e.get("tag").getAsString()))
        .stream().map(e -> e.get("text").getAsString()).toList();
  }

  /** Every {@code tx} event, in arrival order. */
  public List<JsonObject> txs() {
    return js.events("tx", e -> true);
  }

  /** Events named {@code name} matching {@code filter}, in arrival order. */
  public List<JsonObject> events(String name, Predicate<JsonObject> filter) {
    return js.events(name, filter);
  }

  /** Waits for an event named {@code name} matching {@code filter}. */
  public JsonObject awaitEvent(String name, Predicate<JsonObject> filter, Duration timeout) {
    return js.awaitEvent(name, filter, timeout);
  }

  /** What the process wrote on stderr. */
  public String stderr() {
    return js.stderr();
  }

  private static List<String> strings(com.google.gson.JsonArray a) {
    return a.asList().stream().map(JsonElement::getAsString).toList();
  }

  @Override
  public void close() {
    js.close();
  }
}
