package io.gossipnet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.testkit.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code gossipnet run --transport hybrid} as a process: the listening line with the WS address,
 * the peer ID and the P2P address; {@code /status} over plain HTTP and over libp2p HTTP; a
 * P2P-only peer connects on the P2P side; bad combinations of options are refused.
 */
class RunHybridCommandTest {
  private static final String GENESIS = "run-hybrid-test-v1";
  private static final Pattern LISTENING = Pattern.compile(
      "\\{\"event\":\"listening\",\"network\":\"hybrid\",\"address\":\"([^\"]+)\",\"peerId\":\"([^\"]+)\",\"addrs\":\\[\"([^\"]+)\"]}");
  private final List<Process> processes = new ArrayList<>();
  private P2PNetwork client;

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.stop();
    }
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHybridNodeServesItsStatusOverBothTransportsAndTakesPeersOnTheP2pSide() throws Exception {
    int ws = FreePorts.loopback();
    int p2p = FreePorts.loopback();
    List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), GossipnetCli.class.getName(), "run", "--transport", "hybrid",
        "--listen", "127.0.0.1:" + ws, "--p2p-listen", "127.0.0.1:" + p2p, "--public-address", "http://127.0.0.1:" + ws,
        "--genesis", GENESIS, "--mesh-interval-ms", "500");
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(line).isNotNull();
    Matcher m = LISTENING.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    assertThat(m.group(1)).isEqualTo("http://127.0.0.1:" + ws);
    assertThat(m.group(3)).isEqualTo("/ip4/127.0.0.1/tcp/" + p2p + "/p2p/" + m.group(2));

    try (HttpClient http = HttpClient.newHttpClient()) {
      String overWs = http.send(java.net.http.HttpRequest.newBuilder(URI.create(m.group(1) + "/status")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(overWs).contains("\"network\":\"hybrid\"").contains("\"peers\":0");
    }
    client = new P2PNetwork(NetworkConfig.builder(GENESIS).relayPeers(List.of(m.group(3))).gossipFanout(1).build());
    client.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> client.connectedPeers().size() == 1);
    String overP2p = client.httpClient(m.group(3)).send(HttpRequest.get("/status")).bodyText();
    assertThat(overP2p).contains("\"network\":\"hybrid\"").contains("\"peersIn\":1");
    // The http-services built-ins, over libp2p HTTP and plain HTTP alike.
    assertThat(client.httpClient(m.group(3)).send(HttpRequest.get("/v1/peers")).bodyText())
        .contains("\"count\":1").contains("\"network\":\"p2p\"").contains("\"direction\":\"in\"");
    try (HttpClient http = HttpClient.newHttpClient()) {
      String metrics = http.send(java.net.http.HttpRequest.newBuilder(URI.create(m.group(1) + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("gossipnet_peers{network=\"p2p\"} 1.0").contains("network=\"ws\"");
    }
  }

  @Test
  void theP2pListenAddressGoesWithTheHybridTransportOnlyAndAListeningHybridNeedsAPublicAddress() {
    assertThat(new CommandLine(new GossipnetCli()).execute("run", "--transport", "hybrid", "--listen", "127.0.0.1:0", "--genesis", GENESIS))
        .as("hybrid without --p2p-listen").isEqualTo(2);
    assertThat(new CommandLine(new GossipnetCli()).execute("run", "--transport", "ws", "--listen", "127.0.0.1:0", "--p2p-listen", "127.0.0.1:0", "--genesis", GENESIS))
        .as("--p2p-listen without hybrid").isEqualTo(2);
    assertThat(new CommandLine(new GossipnetCli()).execute("run", "--transport", "hybrid", "--listen", "127.0.0.1:0", "--p2p-listen", "127.0.0.1:0", "--genesis", GENESIS))
        .as("no --public-address").isEqualTo(2);
  }
}
