package io.gossipnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Tags;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.p2p.P2pTransportModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * HttpServicesModule beside P2pTransportModule: the same contributions and built-ins, served over
 * libp2p HTTP ({@code /algorand-http/1.0.0}) to a second P2PNetwork on loopback, which reaches the
 * server by its {@code /ip4/127.0.0.1/tcp/<port>/p2p/<id>} multiaddr.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServicesP2pTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private GossipNodeService service;
  private Injector injector;
  private P2PNetwork server;
  private String serverAddr;
  private P2PNetwork client;
  private String clientAddr;

  @BeforeAll
  void startServerAndClient() throws Exception {
    NetworkConfig config = NetworkConfig.builder(Contributions.GENESIS).listenAddress("127.0.0.1:0").gossipFanout(0).build();
    injector = Guice.createInjector(new P2pTransportModule(config, P2PConfig.defaults()), new HttpServicesModule(), new Contributions());
    service = injector.getInstance(GossipNodeService.class);
    service.startAsync().awaitRunning(WAIT);
    server = injector.getInstance(P2PNetwork.class);
    serverAddr = server.address().orElseThrow();
    assertThat(serverAddr).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + server.peerId().toBase58());

    client = new P2PNetwork(NetworkConfig.builder(Contributions.GENESIS).listenAddress("127.0.0.1:0").relayPeers(List.of(serverAddr))
        .gossipFanout(1).build(), P2PConfig.defaults(), new SimpleMeterRegistry());
    // A peer that answers every blob key with other bytes.
    client.registerHttpHandler(HttpServicesConfig.DEFAULT_BLOB_PATH, req -> new HttpResponse(200, Map.of(), "not it".getBytes(StandardCharsets.UTF_8)));
    client.start();
    clientAddr = client.address().orElseThrow();
    await().atMost(WAIT).until(() -> server.connectedPeers().size() == 1 && client.connectedPeers().size() == 1);
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.stop();
    }
    if (service != null) {
      service.stopAsync().awaitTerminated(WAIT);
    }
  }

  private HttpResponse get(String path) throws Exception {
    return client.httpClient(serverAddr).send(HttpRequest.get(path));
  }

  @Test
  void theHandlersContributedForWsAreServedOverLibp2pWithTheSamePathsAndVariables() throws Exception {
    PeerHttpClient http = client.httpClient(serverAddr);
    assertThat(http.send(HttpRequest.get(Contributions.hello("ada"))).bodyText()).isEqualTo("hello ada by GET");
    assertThat(http.send(new HttpRequest("POST", Contributions.hello("bob"), "", Map.of(), Map.of(), new byte[] {1})).bodyText())
        .isEqualTo("hello bob by POST");
    assertThat(http.send(HttpRequest.get(Contributions.file("a/b/c.txt"))).bodyText()).isEqualTo("file a/b/c.txt");
    HttpResponse post = http.send(new HttpRequest("POST", Contributions.file("a"), "", Map.of(), Map.of(), new byte[0]));
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("allow")).isEqualTo("GET");
    JsonNode status = Contributions.json(http.send(HttpRequest.get("/status")).bodyText());
    assertThat(status.get("status").asString()).isEqualTo("ok");
  }

  @Test
  void peersListsTheP2pPeerByItsPeerId() throws Exception {
    for (int i = 0; i < 3; i++) {
      client.broadcast(Tags.AV, new byte[50], true, null);
    }
    await().atMost(WAIT).until(() -> server.connectedPeers().get(0).messagesIn() >= 3);
    JsonNode body = Contributions.json(get("/v1/peers").bodyText());
    assertThat(body.get("count").asInt()).isEqualTo(1);
    JsonNode p = body.get("peers").get(0);
    assertThat(p.get("id").asString()).isEqualTo(client.peerId().toBase58());
    assertThat(p.get("network").asString()).isEqualTo("p2p");
    assertThat(p.get("direction").asString()).as("the client dialed the server").isEqualTo("in");
    assertThat(p.get("messagesIn").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(p.get("bytesIn").asLong()).isGreaterThanOrEqualTo(3 * 52);
    assertThat(p.has("queue")).isTrue();
  }

  @Test
  void metricsOverLibp2pCarryTheP2pNetworkTag() throws Exception {
    HttpResponse r = get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/plain; version=0.0.4");
    assertThat(r.bodyText().lines()).anyMatch(l -> l.startsWith("gossipnet_messages_received_total{") && l.contains("network=\"p2p\""));
  }

  @Test
  void theBlobClientStoresAndFetchesOverP2pByMultiaddr() throws Exception {
    BlobClient blobs = new BlobClient(client);
    byte[] content = "fetched over libp2p".getBytes(StandardCharsets.UTF_8);
    String key = blobs.put(serverAddr, content);
    assertThat(injector.getInstance(BlobStore.class).get(key)).hasValue(content);
    assertThat(blobs.fetch(serverAddr, key)).hasValue(content);
    assertThat(blobs.fetch(serverAddr, BlobStore.keyOf(new byte[] {1, 2, 3}))).isEmpty();
    HttpResponse found = get(Contributions.blob(key));
    assertThat(found.header("cache-control")).isEqualTo(BlobService.FOUND_CACHE_CONTROL);
  }

  @Test
  void theBlobClientRefusesAP2pPeersBodyThatDoesNotHashToItsKey() {
    String key = BlobStore.keyOf("what the key names".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> new BlobClient(server).fetch(clientAddr, key))
        .isInstanceOf(BlobClient.BadBlobException.class)
        .hasMessageContaining("hashes to " + BlobStore.keyOf("not it".getBytes(StandardCharsets.UTF_8)));
  }
}
