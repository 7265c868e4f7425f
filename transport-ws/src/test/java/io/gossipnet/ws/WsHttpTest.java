package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.PeerHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP hosting on the node's Jetty server and the per-peer client. */
class WsHttpTest {
  private WsTestNodes nodes;
  private WsNetwork server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() {
    nodes = new WsTestNodes();
    server = nodes.start(WsTestNodes.listening().build(), WsConfig.builder().maxRequestBodySize(1024).build());
    server.registerHttpHandler("/v1/{genesisID}/echo/{name}", req -> HttpResponse.text(200,
        req.method() + " " + req.pathVariables().get("name") + " " + req.path() + " " + req.query() + " " + new String(req.body(), StandardCharsets.UTF_8)));
    server.registerHttpHandler("/v1/{genesisID}/echo/special", req -> HttpResponse.text(200, "special"));
    server.registerHttpHandler("/boom", req -> {
      throw new IllegalStateException("handler bug");
    });
  }

  @AfterEach
  void tearDown() {
    nodes.close();
    http.close();
  }

  private java.net.http.HttpResponse<String> get(String path) throws Exception {
    return http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localPort() + path)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRegisteredHandlerIsServedWithItsPathVariablesAndTheGenesisSubstituted() throws Exception {
    var r = get("/v1/" + WsTestNodes.GENESIS + "/echo/alice?x=1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("GET alice /v1/" + WsTestNodes.GENESIS + "/echo/alice x=1 ");
    assertThat(get("/v1/other-net/echo/alice").statusCode()).isEqualTo(404);
  }

  @Test
  void theMostSpecificTemplateWins() throws Exception {
    assertThat(get("/v1/" + WsTestNodes.GENESIS + "/echo/special").body()).isEqualTo("special");
  }

  @Test
  void unknownPathsAre404AndFailingHandlers500WhileTheNodeKeepsServing() throws Exception {
    assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    assertThat(get("/v1/" + WsTestNodes.GENESIS + "/echo/bob").statusCode()).isEqualTo(200);
  }

  @Test
  void aMethodTheRouteDoesNotAllowIs405WithAllow() throws Exception {
    server.registerHttpHandler("/only-get", java.util.Set.of("GET"), req -> HttpResponse.text(200, "got"));
    var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localPort() + "/only-get"))
        .DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).contains("GET");
    assertThat(get("/only-get").body()).isEqualTo("got");
  }

  @Test
  void handlersRunOnVirtualThreads() throws Exception {
    server.registerHttpHandler("/thread", req -> HttpResponse.text(200, Boolean.toString(Thread.currentThread().isVirtual())));
    assertThat(get("/thread").body()).isEqualTo("true");
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeTheHandlerRuns() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    server.registerHttpHandler("/count", req -> HttpResponse.text(200, "n" + calls.incrementAndGet()));
    var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localPort() + "/count"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[1025])).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(calls).hasValue(0);
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localPort() + "/v1/" + WsTestNodes.GENESIS + "/echo/x"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[2000])).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void thePeerClientSendsToItsPeerOnly() throws Exception {
    WsNetwork client = nodes.start(b -> b);
    PeerHttpClient c = client.httpClient("127.0.0.1:" + server.localPort());
    HttpResponse r = c.send(new HttpRequest("POST", "/v1/" + WsTestNodes.GENESIS + "/echo/carol", "a=b", Map.of("x-test", List.of("1")), Map.of(), "hi".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("POST carol /v1/" + WsTestNodes.GENESIS + "/echo/carol a=b hi");
    assertThat(r.header("content-type")).startsWith("text/plain");
  }

  @Test
  void thePeerClientTrustsServerCertificatesAsTheWebSocketDialerDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path[] pem = WsLifecycleTest.selfSignedPem(dir);
    int port = WsTestNodes.freePort();
    WsNetwork secure = nodes.start(
        io.gossipnet.core.NetworkConfig.builder(WsTestNodes.GENESIS).listenAddress("127.0.0.1:" + port).publicAddress("https://127.0.0.1:" + port).gossipFanout(0).build(),
        WsConfig.builder().tls(pem[0], pem[1]).build());
    secure.registerHttpHandler("/hello", req -> HttpResponse.text(200, "over tls"));
    WsNetwork trusting = nodes.start(WsTestNodes.listening().build(), WsConfig.builder().trustAllCertificates(true).build());
    WsNetwork strict = nodes.start(b -> b);
    assertThat(trusting.httpClient("https://127.0.0.1:" + port).send(HttpRequest.get("/hello")).bodyText()).isEqualTo("over tls");
    assertThatThrownBy(() -> strict.httpClient("https://127.0.0.1:" + port).send(HttpRequest.get("/hello"))).isInstanceOf(java.io.IOException.class);
  }

  /**
   * A refusal closes the connection it came on (Connection: close, the body left unread); the
   * peer client's next request must not fail on it, whether it waits for a new connection or was
   * already queued on the closing one (then it is sent again: nothing of it was written).
   */
  @Test
  void thePeerClientsRequestsAfterRefusedBodiesAreServed() throws Exception {
    WsNetwork client = nodes.start(b -> b);
    PeerHttpClient c = client.httpClient("127.0.0.1:" + server.localPort());
    String path = "/v1/" + WsTestNodes.GENESIS + "/echo/erin";
    for (int round = 0; round < 100; round++) {
      assertThat(c.send(new HttpRequest("POST", path, "", Map.of(), Map.of(), new byte[256 * 1024])).status()).as("round %d", round).isEqualTo(413);
      assertThat(c.send(new HttpRequest("POST", path, "", Map.of(), Map.of(), "ok".getBytes(StandardCharsets.UTF_8))).status())
          .as("round %d: the request after the 413", round).isEqualTo(200);
    }
  }

  @Test
  void thePeerClientRefusesAResponseOverItsLimit() throws Exception {
    server.registerHttpHandler("/big", req -> new HttpResponse(200, Map.of(), new byte[64 * 1024]));
    WsNetwork client = nodes.start(WsTestNodes.listening().build(), WsConfig.builder().maxResponseBodySize(1024).build());
    assertThatThrownBy(() -> client.httpClient("127.0.0.1:" + server.localPort()).send(HttpRequest.get("/big")))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("over 1024 bytes");
  }

  @Test
  void thePeerClientIsRateLimitedPerPeerAddress() throws Exception {
    String address = "127.0.0.1:" + server.localPort();
    WsNetwork client = nodes.start(b -> b.relayPeers(List.of(address)).connectionsRateLimitingCount(2).connectionsRateLimitingWindow(Duration.ofSeconds(60)));
    PeerHttpClient c = client.httpClient(address);
    HttpRequest req = HttpRequest.get("/v1/" + WsTestNodes.GENESIS + "/echo/dave");
    assertThat(c.send(req).status()).isEqualTo(200);
    assertThat(c.send(req).status()).isEqualTo(200);
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.send(req)).isInstanceOf(PeerHttpClient.RateLimitedException.class).hasMessageContaining(address);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
