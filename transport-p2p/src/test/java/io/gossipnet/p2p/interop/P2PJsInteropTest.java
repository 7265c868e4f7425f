package io.gossipnet.p2p.interop;

import static io.gossipnet.p2p.interop.JsAlgorandPeer.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.WsPeer;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.testing.CloseAfterEach;
import io.gossipnet.p2p.GossipSubDerivation;
import io.gossipnet.p2p.MetadataExchange;
import io.gossipnet.p2p.MetadataFrame;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.p2p.P2PNetwork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real {@link P2PNetwork} and a js-libp2p peer speaking go-algorand's P2P protocol ({@link
 * JsAlgorandPeer}): over every combination of which peer ID sorts lower and who dials, the gossip
 * stream is opened by the lower one, the metadata goes both ways with the dialer writing first, AV
 * frames cross the stream both ways, TX crosses GossipSub {@code algotx01} both ways with BLAKE2b-256
 * message IDs, and each side fetches a handler of the other over libp2p HTTP. A js peer offering no
 * version we accept is refused and counted.
 */
class P2PJsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String GENESIS = "p2p-interop-v1";
  private static final PrivateKey JAVA_KEY = PrivateKey.fromSeed(filled((byte) 0x42));
  private static final String REFUSED = "gossipnet.p2p.streams.refused";

  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<IncomingMessage> avAtJava = new CopyOnWriteArrayList<>();
  private final List<IncomingMessage> txAtJava = new CopyOnWriteArrayList<>();

  private static byte[] filled(byte b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, b);
    return seed;
  }

  /** A listening Java node (a relay, so subscribed to TX) recording AV and TX, with {@code GET /status}. */
  private P2PNetwork startJava(List<String> relayPeers) {
    P2PNetwork n = new P2PNetwork(
        NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(1).relayPeers(relayPeers).build(),
        P2PConfig.builder().privateKey(JAVA_KEY).build(), registry);
    n.registerHandlers(List.of(
        new TaggedHandler(Tags.AV, m -> {
          avAtJava.add(m);
          return OutgoingMessage.ignore();
        }),
        new TaggedHandler(Tags.TX, m -> {
          txAtJava.add(m);
          return OutgoingMessage.ignore();
        })));
    n.registerHttpHandler("/status", Set.of("GET"),
        req -> HttpResponse.json(200, "{\"network\":\"p2p\",\"peerId\":\"" + n.peerId().toBase58() + "\"}"));
    closeables.add(n::stop);
    n.start();
    return n;
  }

  private static List<String> texts(List<IncomingMessage> messages) {
    return messages.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList();
  }

  private static List<String> header(JsonObject headers, String name) {
    return headers.has(name) ? headers.getAsJsonArray(name).asList().stream().map(JsonElement::getAsString).toList() : List.of();
  }

  private static String blake2b256Hex(String text) {
    return HexFormat.of().formatHex(
        GossipSubDerivation.TX_MESSAGE_ID.messageId(null, null, null, text.getBytes(StandardCharsets.UTF_8)));
  }

  private double refused(String reason) {
    Counter c = registry.find(REFUSED).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private double refusedTotal() {
    return registry.find(REFUSED).counters().stream().mapToDouble(Counter::count).sum();
  }

  @ParameterizedTest(name = "js sorts lower: {0}, js dials: {1}")
  @CsvSource({"true, true", "true, false", "false, true", "false, false"})
  void aJsAlgorandPeerExchangesMetadataAvTxAndHttpWithP2PNetwork(boolean jsLower, boolean jsDials) throws Exception {
    JsAlgorandPeer js = closeables.add(JsAlgorandPeer.start(options(
        "seed", JsAlgorandPeer.seedSorting(jsLower, JAVA_KEY.peerId()), "genesis", GENESIS,
        "telemetryId", "js-telemetry", "instanceName", "js-instance", "features", "ppzstd")));
    assertThat(js.peerId().compareTo(JAVA_KEY.peerId()) < 0).isEqualTo(jsLower);
    P2PNetwork java = startJava(jsDials ? List.of() : List.of(js.address().toString()));
    String javaAddr = java.address().orElseThrow();
    if (jsDials) {
      js.dial(javaAddr);
    }

    // The gossip stream: opened by the lower peer ID; the side that dialed wrote its metadata first.
    await().atMost(WAIT).until(() -> java.connectedPeers().size() == 1);
    JsonObject meta = js.awaitMetadata(java.peerId(), WAIT);
    assertThat(meta.get("opener").getAsString()).as("who opened the stream").isEqualTo(jsLower ? "js" : "remote");
    assertThat(meta.get("role").getAsString()).as("js's side of the exchange").isEqualTo(jsDials ? "outgoing" : "incoming");
    assertThat(meta.get("version").getAsString()).isEqualTo(MetadataExchange.PROTOCOL_VERSION);
    JsonObject headers = meta.getAsJsonObject("headers");
    assertThat(header(headers, MetadataFrame.VERSION)).containsExactly("2.2");
    assertThat(header(headers, MetadataFrame.ACCEPT_VERSION)).containsExactlyElementsOf(MetadataExchange.SUPPORTED_VERSIONS);
    assertThat(header(headers, MetadataFrame.GENESIS)).containsExactly(GENESIS);
    assertThat(headers.keySet()).contains(MetadataFrame.TELEMETRY_ID, MetadataFrame.INSTANCE_NAME, MetadataFrame.PEER_FEATURES);
    WsPeer peer = java.connectedPeers().get(0);
    assertThat(peer.stableId()).isEqualTo(js.peerId().toBase58());
    assertThat(peer.outgoing()).isEqualTo(!jsDials);
    assertThat(peer.identityVerified()).isTrue();
    PeerHandshake hs = peer.handshake();
    assertThat(hs.protocolVersion()).isEqualTo("2.2");
    assertThat(hs.telemetryGuid()).isEqualTo("js-telemetry");
    assertThat(hs.instanceName()).isEqualTo("js-instance");
    assertThat(hs.features()).containsExactly("ppzstd");

    // AV: framed on the gossip stream, both ways.
    java.broadcast(Tags.AV, "av from java".getBytes(StandardCharsets.UTF_8), true, null);
    js.send(java.peerId(), "AV", "av from js");
    await().atMost(WAIT).until(() -> js.frames(java.peerId(), "AV").contains("av from java") && texts(avAtJava).contains("av from js"));

    // TX: GossipSub algotx01, both ways, once each side knows the other subscribed.
    await().atMost(WAIT).until(() -> js.txSubscribers().contains(java.peerId().toBase58())
        && java.gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).contains(js.peerId()));
    assertThat(js.publish("tx from js")).isEqualTo(blake2b256Hex("tx from js"));
    java.broadcast(Tags.TX, "tx from java".getBytes(StandardCharsets.UTF_8), true, null);
    await().atMost(WAIT).until(() -> texts(txAtJava).contains("tx from js")
        && js.txs().stream().anyMatch(e -> e.get("text").getAsString().equals("tx from java")));
    JsonObject txAtJs = js.txs().stream().filter(e -> e.get("text").getAsString().equals("tx from java")).findFirst().orElseThrow();
    assertThat(txAtJs.get("topic").getAsString()).isEqualTo(GossipSubDerivation.TX_TOPIC);
    assertThat(txAtJs.get("source").getAsString()).isEqualTo(java.peerId().toBase58());
    assertThat(txAtJs.get("msgId").getAsString()).as("js's BLAKE2b-256 message ID").isEqualTo(blake2b256Hex("tx from java"));
    assertThat(js.frames(java.peerId(), "TX")).as("TX never goes over the gossip stream").isEmpty();

    // HTTP over libp2p, both ways: js fetches Java's /status, Java's client calls js's handler.
    JsonObject status = js.fetch(javaAddr, "GET", "/status", null);
    assertThat(status.get("status").getAsInt()).isEqualTo(200);
    assertThat(status.get("body").getAsString()).contains("\"peerId\":\"" + java.peerId().toBase58() + "\"");
    HttpResponse hello = java.httpClient(js.address().toString()).send(HttpRequest.get("/js/hello"));
    assertThat(hello.status()).isEqualTo(200);
    assertThat(hello.header("x-peer")).isEqualTo("js");
    assertThat(hello.bodyText()).isEqualTo("hello from js " + js.peerId().toBase58());

    assertThat(refusedTotal()).as("refused streams").isZero();
    assertThat(js.events("refused", e -> true)).isEmpty();
  }

  @Test
  void aJsPeerWhoseMetadataOffersNoVersionWeAcceptIsRefusedAndCounted() throws Exception {
    // js sorts lower and dials: it opens the stream and writes first; Java reads, finds no common version.
    JsAlgorandPeer js = closeables.add(JsAlgorandPeer.start(options(
        "seed", JsAlgorandPeer.seedSorting(true, JAVA_KEY.peerId()), "genesis", GENESIS,
        "version", "9.9", "acceptVersions", List.of("9.9"))));
    P2PNetwork java = startJava(List.of());
    js.dial(java.address().orElseThrow());

    await().atMost(WAIT).until(() -> refused("metadata_no_common_version") == 1);
    JsonObject failed = js.awaitEvent("exchangeFailed", e -> e.get("peerId").getAsString().equals(java.peerId().toBase58()), WAIT);
    assertThat(failed.get("role").getAsString()).isEqualTo("outgoing");
    assertThat(js.events("metadata", e -> true)).as("js never read an answer").isEmpty();
    assertThat(java.connectedPeers()).isEmpty();
  }
}
