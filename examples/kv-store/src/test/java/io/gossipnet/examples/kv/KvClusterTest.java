package io.gossipnet.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.Tags;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.http.HttpServicesModule;
import io.gossipnet.hybrid.HybridConfig;
import io.gossipnet.hybrid.HybridNetwork;
import io.gossipnet.hybrid.HybridTransportModule;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.testkit.FreePorts;
import io.gossipnet.ws.WsTransportModule;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes over WebSocket on loopback, built in-process with Guice as an application would
 * ({@code WsTransportModule}, {@code HttpServicesModule}, {@link KvModule}), driven over their
 * HTTP API.
 */
class KvClusterTest {
  private static final String GENESIS = "kv-test";
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** So long that only gossip can deliver a write within a test (anti-entropy still runs when a peer connects). */
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path tmp;
  private final List<GossipNodeService> services = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** A started node and what a test reads of it. */
  private record Node(String url, Injector injector) {
    GossipNode gossip() {
      return injector.getInstance(GossipNode.class);
    }

    KvStore store() {
      return injector.getInstance(KvStore.class);
    }

    int peers() {
      return gossip().getPeers(PeerOption.CONNECTED_IN, PeerOption.CONNECTED_OUT).size();
    }
  }

  @AfterEach
  void stop() {
    services.forEach(s -> s.stopAsync().awaitTerminated());
    http.close();
  }

  private static NetworkConfig.Builder network(int port, List<Node> peers) {
    return NetworkConfig.builder(GENESIS)
        .listenAddress("127.0.0.1:" + port)
        .publicAddress("http://127.0.0.1:" + port)
        .relayPeers(peers.stream().map(p -> p.url().substring("http://".length())).toList())
        .meshInterval(Duration.ofMillis(300))
        .enableIncomingMessageFilter(true);
  }

  private Node start(String nodeId, Duration antiEntropy, Node... peers) {
    int port = FreePorts.loopback();
    KvModule kv = new KvModule(KvSettings.defaults().withNodeId(nodeId).withAntiEntropyInterval(antiEntropy));
    NetworkConfig.Builder config = network(port, List.of(peers));
    kv.configure(config);
    return start(port, Guice.createInjector(new WsTransportModule(config.build()), new HttpServicesModule(), kv));
  }

  private Node start(int port, Injector injector) {
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    services.add(service);
    service.startAsync().awaitRunning();
    return new Node("http://127.0.0.1:" + port, injector);
  }

  /**
   * A hybrid node (WS on one port, libp2p on another, its key in a data directory) that dials
   * {@code p2pPeers}, libp2p multiaddrs: its connections to them are libp2p ones.
   */
  private Node startHybrid(String nodeId, Duration antiEntropy, String... p2pPeers) throws Exception {
    Path dataDir = java.nio.file.Files.createDirectories(tmp.resolve(nodeId));
    int port = FreePorts.loopback();
    KvModule kv = new KvModule(KvSettings.defaults().withNodeId(nodeId).withAntiEntropyInterval(antiEntropy));
    NetworkConfig.Builder network = network(port, List.of()).relayPeers(List.of(p2pPeers));
    kv.configure(network);
    HybridConfig config = HybridConfig.builder(network.build())
        .p2pListenAddress("127.0.0.1:" + FreePorts.loopback())
        .p2p(P2PConfig.builder().key(null, dataDir, true).build())
        .build();
    return start(port, Guice.createInjector(new HybridTransportModule(config), new HttpServicesModule(), kv));
  }

  private static int p2pPeers(Node node) {
    return ((HybridNetwork) node.gossip()).p2p().getPeers(PeerOption.CONNECTED_IN, PeerOption.CONNECTED_OUT).size();
  }

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(Node node, String key, String value) throws Exception {
    return send("PUT", node.url() + "/v1/" + GENESIS + "/kv/" + key, value);
  }

  private HttpResponse<String> get(Node node, String key) throws Exception {
    return send("GET", node.url() + "/v1/" + GENESIS + "/kv/" + key, "");
  }

  private String valueAt(Node node, String key) throws Exception {
    HttpResponse<String> r = get(node, key);
    return r.statusCode() == 200 ? r.body() : null;
  }

  @Test
  void aWriteOnOneNodeIsReadOnEveryOtherAndRelayedByTheNodesBetween() throws Exception {
    Node a = start("node-a", NEVER);
    Node b = start("node-b", NEVER, a);
    Node c = start("node-c", NEVER, a);
    await("b and c connect to a").atMost(WAIT).until(() -> a.peers() == 2 && b.peers() == 1 && c.peers() == 1);

    HttpResponse<String> written = put(a, "colour", "blue");
    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(written.body()).startsWith("{\"key\":\"colour\",\"version\":{\"ts\":").contains("\"node\":\"node-a\"");
    await("b and c read a's write").atMost(WAIT).until(() -> "blue".equals(valueAt(b, "colour")) && "blue".equals(valueAt(c, "colour")));

    // c is connected to a only: its write reaches b because a relays it.
    put(c, "shape", "round");
    await("b reads c's write, relayed by a").atMost(WAIT).until(() -> "round".equals(valueAt(b, "shape")));

    // The last write wins everywhere.
    put(b, "colour", "green");
    await("every node reads the newer value").atMost(WAIT)
        .until(() -> List.of(a, b, c).stream().allMatch(n -> "green".equals(store(n, "colour"))));
  }

  private static String store(Node n, String key) {
    return n.store().get(key).map(e -> new String(e.value(), java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
  }

  @Test
  void aNodeStartedAfterTheWritesCatchesUpThroughAntiEntropy() throws Exception {
    Duration often = Duration.ofMillis(500);
    Node a = start("node-a", often);
    Node b = start("node-b", often, a);
    await().atMost(WAIT).until(() -> a.peers() == 1);
    for (int i = 0; i < 50; i++) {
      assertThat(put(i % 2 == 0 ? a : b, "key-" + i, "value " + i).statusCode()).isEqualTo(200);
    }
    await().atMost(WAIT).until(() -> a.store().digest() == b.store().digest());

    // c dials b only, after every write was gossiped: gossip will not repeat them to it.
    Node c = start("node-c", often, b);
    await("c holds every write").atMost(WAIT).until(() -> c.store().size() == 50 && c.store().digest() == a.store().digest());
    assertThat(valueAt(c, "key-49")).isEqualTo("value 49");
    assertThat(send("GET", c.url() + "/v1/" + GENESIS + "/kv?limit=0", "").body())
        .contains("\"count\":50").contains(String.format("\"digest\":\"%016x\"", a.store().digest()));
  }

  @Test
  void overLibp2pWritesAreGossipedAndALateNodeCatchesUpThroughLibp2pHttp() throws Exception {
    Node a = startHybrid("node-a", Duration.ofMillis(500));
    String aP2p = ((HybridNetwork) a.gossip()).p2pAddress().orElseThrow();
    put(a, "before", "written before b and c started");
    Node b = startHybrid("node-b", NEVER, aP2p);
    await("b connects to a over libp2p").atMost(WAIT).until(() -> p2pPeers(a) == 1 && p2pPeers(b) == 1 && b.peers() == 1);

    put(b, "colour", "blue");
    await("a reads b's write, gossiped over libp2p").atMost(WAIT).until(() -> "blue".equals(valueAt(a, "colour")));
    // b connected after "before" was written: it has it from a's snapshot, pulled over libp2p HTTP.
    await("b caught up on the earlier write").atMost(WAIT).until(() -> "written before b and c started".equals(valueAt(b, "before")));

    Node c = startHybrid("node-c", Duration.ofMillis(500), aP2p);
    await("c catches up over libp2p HTTP").atMost(WAIT).until(() -> c.store().size() == 2 && c.store().digest() == a.store().digest());
    assertThat(p2pPeers(c)).isEqualTo(1);
    assertThat(((HybridNetwork) c.gossip()).ws().getPeers(PeerOption.CONNECTED_IN, PeerOption.CONNECTED_OUT)).isEmpty();
  }

  @Test
  void theHttpApiAnswersMissingKeysBadKeysAndOversizedValuesWithClearErrors() throws Exception {
    Node a = start("node-a", NEVER);
    HttpResponse<String> missing = get(a, "nothing-here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":\"no such key: nothing-here\"}");
    HttpResponse<String> tooLong = put(a, "k".repeat(257), "v");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("over 256 bytes");
    HttpResponse<String> big = put(a, "big", "v".repeat(KvStore.MAX_VALUE_BYTES + 1));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(send("DELETE", a.url() + "/v1/" + GENESIS + "/kv/k", "").statusCode()).isEqualTo(405);
    assertThat(send("GET", a.url() + "/v1/" + GENESIS + "/kv?limit=1001", "").statusCode()).isEqualTo(400);
    assertThat(send("GET", a.url() + "/v1/other-network/kv/k", "").statusCode()).isEqualTo(404);

    HttpResponse<String> ok = put(a, "greeting", "hello");
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> read = get(a, "greeting");
    assertThat(read.body()).isEqualTo("hello");
    assertThat(read.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    assertThat(read.headers().firstValue("kv-version")).hasValueSatisfying(v -> assertThat(v).endsWith("/node-a"));
  }

  @Test
  void aFullStoreRefusesNewKeysOverHttpWith507() throws Exception {
    int port = FreePorts.loopback();
    KvModule kv = new KvModule(KvSettings.defaults().withNodeId("small").withMaxKeys(2));
    NetworkConfig.Builder config = network(port, List.of());
    kv.configure(config);
    Node a = start(port, Guice.createInjector(new WsTransportModule(config.build()), new HttpServicesModule(), kv));
    assertThat(put(a, "one", "1").statusCode()).isEqualTo(200);
    assertThat(put(a, "two", "2").statusCode()).isEqualTo(200);
    HttpResponse<String> full = put(a, "three", "3");
    assertThat(full.statusCode()).isEqualTo(507);
    assertThat(full.body()).contains("the store is full");
    assertThat(put(a, "one", "1 again").statusCode()).isEqualTo(200);
  }

  @Test
  void aPeerThatSendsAMalformedWriteIsDisconnectedAndTheStoreIsUntouched() throws Exception {
    Node a = start("node-a", NEVER);
    // A plain node that knows tag KV but runs no store: it sends whatever bytes it is given.
    int port = FreePorts.loopback();
    NetworkConfig.Builder config = network(port, List.of(a)).meshInterval(NEVER).tags(Tags.defaultsPlus(KvModule.KV));
    Node raw = start(port, Guice.createInjector(new WsTransportModule(config.build())));
    await().atMost(WAIT).until(() -> a.peers() == 1 && raw.peers() == 1);

    // A value length of 2^31 - 1 in a 20-byte message.
    byte[] hostile = {1, 0, 1, 'k', 0, 0, 0, 0, 0, 0, 0, 1, 1, 'n', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    raw.gossip().broadcast(KvModule.KV, hostile, true, null);
    await("a drops the peer").atMost(WAIT).until(() -> a.peers() == 0);
    assertThat(a.injector().getInstance(MeterRegistry.class).get("gossipnet.connections.dropped")
        .tag("reason", "BadData").counter().count()).isEqualTo(1.0);
    assertThat(a.store().size()).isZero();
  }
}
