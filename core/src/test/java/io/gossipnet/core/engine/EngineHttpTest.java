package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.memory.MemoryNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP handlers registered on a node are served through its one router on its transport. */
class EngineHttpTest {
  private final MemoryNetwork net = new MemoryNetwork();
  private final List<NetworkEngine> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(NetworkEngine::stop);
  }

  private static NetworkConfig config(String name) {
    return NetworkConfig.builder("test-genesis").listenAddress("mem://" + name).publicAddress("mem://" + name).build();
  }

  private NetworkEngine start(NetworkEngine.Builder b) {
    NetworkEngine n = b.build();
    nodes.add(n);
    n.start();
    return n;
  }

  @Test
  void aHandlerIsServedWithTheGenesisSubstitutedAndItsMethodsEnforced() throws Exception {
    NetworkEngine server = start(NetworkEngine.builder(config("s"), net.transport("s")));
    NetworkEngine client = start(NetworkEngine.builder(config("c"), net.transport("c")));
    server.registerHttpHandler("/v1/{genesisID}/block/{round}", Set.of("GET"), req -> HttpResponse.text(200, "block " + req.pathVariables().get("round")));
    var http = client.httpClient("mem://s");
    assertThat(http.send(HttpRequest.get("/v1/test-genesis/block/9")).bodyText()).isEqualTo("block 9");
    assertThat(http.send(HttpRequest.get("/v1/other/block/9")).status()).isEqualTo(404);
    HttpResponse post = http.send(new HttpRequest("POST", "/v1/test-genesis/block/9", "", Map.of(), Map.of(), new byte[0]));
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("allow")).isEqualTo("GET");
  }

  @Test
  void aBodyOverTheTransportsLimitIs413() throws Exception {
    NetworkEngine server = start(NetworkEngine.builder(config("s"), net.transport("s")));
    NetworkEngine client = start(NetworkEngine.builder(config("c"), net.transport("c")));
    server.registerHttpHandler("/upload", req -> HttpResponse.text(200, "ok"));
    assertThat(server.httpRouter().maxRequestBodyBytes()).isEqualTo(HttpRouter.DEFAULT_MAX_REQUEST_BODY_BYTES);
    byte[] big = new byte[HttpRouter.DEFAULT_MAX_REQUEST_BODY_BYTES + 1];
    assertThat(client.httpClient("mem://s").send(new HttpRequest("POST", "/upload", "", Map.of(), Map.of(), big)).status()).isEqualTo(413);
  }

  @Test
  void twoEnginesSharingARouterServeAHandlerRegisteredOnce() throws Exception {
    HttpRouter shared = new HttpRouter(1024);
    NetworkEngine first = start(NetworkEngine.builder(config("a"), net.transport("a")).httpRouter(shared));
    start(NetworkEngine.builder(config("b"), net.transport("b")).httpRouter(shared));
    NetworkEngine client = start(NetworkEngine.builder(config("c"), net.transport("c")));
    first.registerHttpHandler("/status", req -> HttpResponse.text(200, "up"));
    assertThat(client.httpClient("mem://a").send(HttpRequest.get("/status")).bodyText()).isEqualTo("up");
    assertThat(client.httpClient("mem://b").send(HttpRequest.get("/status")).bodyText()).isEqualTo("up");
  }
}
