package io.gossipnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.WsPeer;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.testkit.FreePorts;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.ws.WsNetwork;
import io.gossipnet.ws.WsTransportModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * HttpServicesModule beside WsTransportModule: a real WsNetwork on Jetty, reached by
 * java.net.http and by a second WsNetwork (a peer connected to it, which also runs a lying blob
 * handler for the hash check).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServicesWsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long CAP = 8 * 1024;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private GossipNodeService service;
  private Injector injector;
  private WsNetwork server;
  private String base;
  private WsNetwork peer;
  private String peerBase;
  private final byte[] liedAbout = "the content the key names".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  void startServerAndPeer() throws Exception {
    int port = FreePorts.loopback();
    base = "http://127.0.0.1:" + port;
    NetworkConfig config = NetworkConfig.builder(Contributions.GENESIS).listenAddress("127.0.0.1:" + port).publicAddress(base)
        .gossipFanout(0).build();
    injector = Guice.createInjector(new WsTransportModule(config), new HttpServicesModule(HttpServicesConfig.builder().blobMemoryCap(CAP).build()),
        new Contributions());
    service = injector.getInstance(GossipNodeService.class);
    service.startAsync().awaitRunning(WAIT);
    server = injector.getInstance(WsNetwork.class);

    int peerPort = FreePorts.loopback();
    peerBase = "http://127.0.0.1:" + peerPort;
    peer = new WsNetwork(NetworkConfig.builder(Contributions.GENESIS).listenAddress("127.0.0.1:" + peerPort).publicAddress(peerBase)
        .relayPeers(List.of(base)).gossipFanout(1).meshInterval(Duration.ofMillis(200)).build(), WsConfig.defaults(), new SimpleMeterRegistry());
    // A peer that answers every blob key with other bytes.
    peer.registerHttpHandler(HttpServicesConfig.DEFAULT_BLOB_PATH, req -> new HttpResponse(200, java.util.Map.of(), "something else".getBytes(StandardCharsets.UTF_8)));
    peer.start();
    await().atMost(WAIT).until(() -> server.connectedPeers().size() == 1 && peer.connectedPeers().size() == 1);
  }

  @AfterAll
  void stop() throws Exception {
    if (peer != null) {
      peer.stop();
    }
    if (service != null) {
      service.stopAsync().awaitTerminated(WAIT);
    }
  }

  private java.net.http.HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    return http.send(b.build(), BodyHandlers.ofByteArray());
  }

  private java.net.http.HttpResponse<byte[]> get(String path) throws Exception {
    return send("GET", path, null);
  }

  private static String text(java.net.http.HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private double counter(String name, String... tags) {
    var c = injector.getInstance(MeterRegistry.class).find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aHandlerContributedThroughTheMapBinderIsServedOnJettyWithItsPathVariables() throws Exception {
    assertThat(text(get(Contributions.hello("ada")))).isEqualTo("hello ada by GET");
    assertThat(text(send("POST", Contributions.hello("bob"), new byte[] {1}))).as("every method").isEqualTo("hello bob by POST");
    assertThat(text(get(Contributions.file("a/b/c.txt")))).isEqualTo("file a/b/c.txt");
    var post = send("POST", Contributions.file("a"), new byte[0]);
    assertThat(post.statusCode()).as("the route serves GET only").isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).contains("GET");
    assertThat(get("/v1/another-genesis/hello/ada").statusCode()).isEqualTo(404);
  }

  @Test
  void statusIsAHealthAnswerWithTheGenesisAndPeerCount() throws Exception {
    var r = get("/status");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode status = Contributions.json(text(r));
    assertThat(status.get("status").asString()).isEqualTo("ok");
    assertThat(status.get("genesis").asString()).isEqualTo(Contributions.GENESIS);
    assertThat(status.get("peers").asInt()).isEqualTo(1);
  }

  @Test
  void peersListsTheConnectedPeerWithItsIdDirectionQueuesAndTraffic() throws Exception {
    for (int i = 0; i < 3; i++) {
      peer.broadcast(Tags.AV, new byte[100], true, null);
      server.broadcast(Tags.AV, new byte[10], true, null);
    }
    WsPeer seen = server.connectedPeers().get(0);
    await().atMost(WAIT).until(() -> seen.messagesIn() >= 3 && seen.messagesOut() >= 3);
    JsonNode body = Contributions.json(text(get("/v1/peers")));
    assertThat(body.get("count").asInt()).isEqualTo(1);
    JsonNode p = body.get("peers").get(0);
    assertThat(p.get("id").asString()).isEqualTo(seen.stableId());
    assertThat(p.get("address").asString()).isEqualTo(seen.address());
    assertThat(p.get("network").asString()).isEqualTo("ws");
    assertThat(p.get("direction").asString()).as("the peer dialed the server").isEqualTo("in");
    assertThat(p.get("queue").get("high").asInt()).isGreaterThanOrEqualTo(0);
    assertThat(p.get("queue").get("bulk").asInt()).isGreaterThanOrEqualTo(0);
    assertThat(p.get("messagesIn").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(p.get("bytesIn").asLong()).isGreaterThanOrEqualTo(3 * 102);
    assertThat(p.get("messagesOut").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(p.get("bytesOut").asLong()).isGreaterThanOrEqualTo(3 * 12);
  }

  @Test
  void metricsAreTheNodesMetersInPrometheusTextWithTheNetworkTag() throws Exception {
    assertThat(injector.getInstance(MeterRegistry.class)).isInstanceOf(PrometheusMeterRegistry.class);
    var r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    String metrics = text(r);
    assertThat(metrics).contains("# TYPE gossipnet_messages_received_total counter");
    assertThat(metrics.lines()).anyMatch(l -> l.startsWith("gossipnet_messages_received_total{") && l.contains("network=\"ws\""));
    assertThat(metrics).contains("gossipnet_http_blob_hits_total");
  }

  @Test
  void aBlobPutByItsKeyIsServedWithImmutableCacheHeaders() throws Exception {
    byte[] content = "a blob for the round trip".getBytes(StandardCharsets.UTF_8);
    String key = BlobStore.keyOf(content);
    double hits = counter("gossipnet.http.blob.hits");
    var put = send("PUT", Contributions.blob(key), content);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(send("PUT", Contributions.blob(key), content).statusCode()).as("already stored").isEqualTo(200);
    var r = get(Contributions.blob(key.toUpperCase(java.util.Locale.ROOT)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
    assertThat(r.headers().firstValue("cache-control")).contains("public, max-age=31536000, immutable");
    assertThat(r.headers().firstValue("etag")).contains("\"" + key + "\"");
    assertThat(r.headers().firstValue("content-type")).contains("application/octet-stream");
    assertThat(counter("gossipnet.http.blob.hits")).isEqualTo(hits + 1);
    assertThat(injector.getInstance(BlobStore.class).get(key)).hasValue(content);
  }

  @Test
  void aMissingBlobIs404WithTheNewestKeyTheCountAndAShortCache() throws Exception {
    BlobStore store = injector.getInstance(BlobStore.class);
    byte[] newest = "the newest blob".getBytes(StandardCharsets.UTF_8);
    assertThat(store.put(newest)).isIn(BlobStore.PutResult.STORED, BlobStore.PutResult.ALREADY_PRESENT);
    double misses = counter("gossipnet.http.blob.misses");
    var r = get(Contributions.blob(BlobStore.keyOf("never stored".getBytes(StandardCharsets.UTF_8))));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("cache-control")).contains("public, max-age=1, must-revalidate");
    assertThat(r.headers().firstValue("x-latest-blob")).contains(store.newestKey().orElseThrow());
    assertThat(r.headers().firstValue("x-blob-count")).contains(Integer.toString(store.count()));
    assertThat(counter("gossipnet.http.blob.misses")).isEqualTo(misses + 1);
  }

  @Test
  void aPutWhoseBodyDoesNotHashToTheKeyOrWithAMalformedKeyIs400() throws Exception {
    byte[] content = "honest content".getBytes(StandardCharsets.UTF_8);
    String otherKey = BlobStore.keyOf("other content".getBytes(StandardCharsets.UTF_8));
    double mismatches = counter("gossipnet.http.blob.refused", "reason", "hash_mismatch");
    var r = send("PUT", Contributions.blob(otherKey), content);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(text(r)).contains("SHA-256").contains(BlobStore.keyOf(content));
    assertThat(injector.getInstance(BlobStore.class).contains(otherKey)).isFalse();
    assertThat(counter("gossipnet.http.blob.refused", "reason", "hash_mismatch")).isEqualTo(mismatches + 1);

    double badKeys = counter("gossipnet.http.blob.refused", "reason", "bad_key");
    assertThat(get(Contributions.blob("not-a-key")).statusCode()).isEqualTo(400);
    assertThat(send("PUT", Contributions.blob("abc"), content).statusCode()).isEqualTo(400);
    assertThat(counter("gossipnet.http.blob.refused", "reason", "bad_key")).isEqualTo(badKeys + 2);
    assertThat(send("DELETE", Contributions.blob(otherKey), null).statusCode()).isEqualTo(405);
  }

  @Test
  void aPutPastTheMemoryCapIs503WithRetryAfter() throws Exception {
    byte[] big = new byte[(int) CAP];
    java.util.Arrays.fill(big, (byte) 7);
    String key = BlobStore.keyOf(big);
    double refusals = counter("gossipnet.http.blob.refused", "reason", "memory_cap");
    var r = send("PUT", Contributions.blob(key), big);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).contains("3");
    assertThat(counter("gossipnet.http.blob.refused", "reason", "memory_cap")).isEqualTo(refusals + 1);
    assertThat(injector.getInstance(BlobStore.class).usedBytes()).isLessThanOrEqualTo(CAP);

    assertThatThrownBy(() -> new BlobClient(peer).put(base, big))
        .isInstanceOfSatisfying(BlobClient.BlobUnavailableException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
  }

  @Test
  void theBlobClientStoresAndFetchesOnAWsPeerAndFindsAMissingOneEmpty() throws Exception {
    BlobClient client = new BlobClient(peer);
    byte[] content = "fetched over WS".getBytes(StandardCharsets.UTF_8);
    String key = client.put(base, content);
    assertThat(key).isEqualTo(BlobStore.keyOf(content));
    assertThat(client.fetch(base, key)).hasValue(content);
    assertThat(client.fetch(base, BlobStore.keyOf(new byte[] {9, 9}))).isEmpty();
  }

  @Test
  void theBlobClientRefusesABodyThatDoesNotHashToItsKeyOrIsTooLarge() {
    String key = BlobStore.keyOf(liedAbout);
    assertThatThrownBy(() -> new BlobClient(server).fetch(peerBase, key))
        .isInstanceOf(BlobClient.BadBlobException.class)
        .hasMessageContaining("hashes to " + BlobStore.keyOf("something else".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> new BlobClient(server, HttpServicesConfig.DEFAULT_BLOB_PATH, 4).fetch(peerBase, key))
        .isInstanceOf(BlobClient.BadBlobException.class)
        .hasMessageContaining("over 4");
    assertThatThrownBy(() -> new BlobClient(server).fetch(peerBase, "xyz")).isInstanceOf(IllegalArgumentException.class);
  }
}
