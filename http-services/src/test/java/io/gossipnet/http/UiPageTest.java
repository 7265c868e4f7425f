package io.gossipnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.testkit.FreePorts;
import io.gossipnet.ws.WsNetwork;
import io.gossipnet.ws.WsTransportModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The live status page {@code /ui} of a real WS node: its assets are served from the jar and name
 * no outside host; in headless Chromium (Debian's, driven by playwright-core from {@code
 * src/test/js-ui}) it shows the node's two peers, one per row and one edge each in the mesh
 * picture, and, without a reload, one peer once the other disconnects, with the disconnect counted
 * by reason. Screenshots are kept in {@code target/ui-screenshots/}.
 */
class UiPageTest {
  private final List<WsNetwork> clients = new ArrayList<>();
  private GossipNodeService service;
  private Process browser;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.destroyForcibly();
      browser.waitFor(10, TimeUnit.SECONDS);
    }
    clients.forEach(WsNetwork::stop);
    if (service != null) {
      service.stopAsync().awaitTerminated();
    }
  }

  private WsNetwork startNode() {
    int port = FreePorts.loopback();
    NetworkConfig config = NetworkConfig.builder(Contributions.GENESIS).listenAddress("127.0.0.1:" + port)
        .publicAddress("http://127.0.0.1:" + port).gossipFanout(0).build();
    Injector injector = Guice.createInjector(new WsTransportModule(config), new HttpServicesModule());
    service = injector.getInstance(GossipNodeService.class);
    service.startAsync().awaitRunning();
    return injector.getInstance(WsNetwork.class);
  }

  private WsNetwork client(String relay) {
    WsNetwork c = new WsNetwork(NetworkConfig.builder(Contributions.GENESIS).relayPeers(List.of(relay)).gossipFanout(1).build());
    clients.add(c);
    c.start();
    return c;
  }

  @Test
  void thePageAndItsAssetsComeFromTheJarAndNameNoOutsideHost() throws Exception {
    WsNetwork node = startNode();
    String base = node.address().orElseThrow();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> page = get(http, base + "/ui");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("data-peers=\"/v1/peers\"").contains("data-metrics=\"/metrics\"")
          .contains("src=\"/ui/ui.js\"").doesNotContain("{{");
      for (String asset : List.of("ui.js", "ui.css")) {
        HttpResponse<String> r = get(http, base + "/ui/" + asset);
        assertThat(r.statusCode()).as(asset).isEqualTo(200);
        // The SVG and XHTML namespace names are names, not requests.
        String body = r.body().replace("http://www.w3.org/2000/svg", "").replace("http://www.w3.org/1999/xhtml", "");
        assertThat(body).as(asset + " loads nothing from another host").doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn");
      }
      assertThat(get(http, base + "/ui/secret.txt").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void inABrowserThePageShowsThePeersAndUpdatesWhenOneDisconnects() throws Exception {
    Path driver = Path.of(System.getenv().getOrDefault("GOSSIPNET_JS_UI_DIR", "src/test/js-ui"));
    Path chromium = Path.of(System.getenv().getOrDefault("GOSSIPNET_CHROMIUM", "/usr/bin/chromium"));
    boolean required = System.getenv("REQUIRE_BROWSER") != null;
    boolean present = Files.isDirectory(driver.resolve("node_modules/playwright-core")) && Files.isExecutable(chromium);
    if (required) {
      assertThat(present).as("playwright-core in %s (bin/setup.d/20-node-packages.sh) and Chromium at %s (30-chromium.sh)", driver, chromium).isTrue();
    }
    Assumptions.assumeTrue(present, "no playwright-core in " + driver + " or no Chromium at " + chromium + "; bin/test installs both");

    WsNetwork node = startNode();
    String base = node.address().orElseThrow();
    client(base);
    WsNetwork leaving = client(base);
    await().atMost(Duration.ofSeconds(20)).until(() -> node.connectedPeers().size() == 2);

    Path shots = Files.createDirectories(Path.of("target", "ui-screenshots"));
    browser = new ProcessBuilder("node", driver.resolve("ui-check.mjs").toString(), base + "/ui", shots.toAbsolutePath().toString(), "2", "1")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertThat(first).as("the page's first report").isNotNull();
    var two = Contributions.json(first);
    assertThat(two.path("event").asText()).as(first).isEqualTo("count");
    assertThat(two.path("value").asInt()).isEqualTo(2);
    assertThat(two.path("rows").asInt()).as("one table row per peer").isEqualTo(2);
    assertThat(two.path("edges").asInt()).as("one mesh edge per peer").isEqualTo(2);
    assertThat(two.path("networks").toString()).isEqualTo("[\"ws\",\"ws\"]");
    assertThat(two.path("errors").size()).as("page errors: %s", two.path("errors")).isZero();

    // One peer goes; the page, still open, follows.
    leaving.stop();
    await().atMost(Duration.ofSeconds(20)).until(() -> node.connectedPeers().size() == 1);
    OutputStream in = browser.getOutputStream();
    in.write('\n');
    in.flush();
    String second = out.readLine();
    assertThat(second).as("the page's second report").isNotNull();
    var one = Contributions.json(second);
    assertThat(one.path("value").asInt()).as(second).isEqualTo(1);
    assertThat(one.path("rows").asInt()).isEqualTo(1);
    assertThat(one.path("edges").asInt()).isEqualTo(1);
    assertThat(one.path("drops").size()).as("the disconnect counted by reason: %s", one.path("drops")).isPositive();
    assertThat(browser.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(browser.exitValue()).isZero();
    assertThat(shots.resolve("peers-2.png")).isNotEmptyFile();
    assertThat(shots.resolve("peers-1.png")).isNotEmptyFile();
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
