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
