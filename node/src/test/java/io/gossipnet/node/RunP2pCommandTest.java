package io.gossipnet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.p2p.P2PNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gossipnet run --transport p2p} as a process: the listening line with the peer ID, a mesh
 * of two, {@code /status} over libp2p HTTP, and the same peer ID after a restart with the same data
 * directory (the persisted key).
 */
class RunP2pCommandTest {
  private static final String GENESIS = "run-p2p-test-v1";
  private static final Pattern LISTENING =
      Pattern.compile("\\{\"event\":\"listening\",\"network\":\"p2p\",\"peerId\":\"([^\"]+)\",\"addrs\":\\[\"([^\"]+)\"]}");
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

  /** Starts a node; returns its peer ID and address. */
  private String[] start(String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        GossipnetCli.class.getName(), "run", "--transport", "p2p", "--listen", "127.0.0.1:0", "--genesis", GENESIS,
        "--mesh-interval-ms", "500"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(line).isNotNull();
    Matcher m = LISTENING.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    assertThat(m.group(2)).endsWith("/p2p/" + m.group(1));
    return new String[] {m.group(1), m.group(2)};
  }

  private String broadcast(String address, String tag, String body) throws Exception {
    var r = client.httpClient(address).send(new HttpRequest("POST", "/v1/" + GENESIS + "/demo/broadcast", "tag=" + tag,
        java.util.Map.of(), java.util.Map.of(), body.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    Matcher m = Pattern.compile("\"id\":\"([0-9a-f]+)\"").matcher(r.bodyText());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private String received(String address) throws Exception {
    return client.httpClient(address).send(HttpRequest.get("/v1/" + GENESIS + "/demo/received")).bodyText();
  }

  private String status(String address) throws Exception {
    return client.httpClient(address).send(HttpRequest.get("/status")).bodyText();
  }

  @Test
  void twoP2pNodesMeshServeStatusOverLibp2pAndKeepTheirPeerIdAcrossARestart(@TempDir Path dataDir) throws Exception {
    String[] a = start("--data-dir", dataDir.toString(), "--demo-api");
    String[] b = start("--peer", a[1], "--demo-api");
    client = new P2PNetwork(NetworkConfig.builder(GENESIS).gossipFanout(0).build());
    client.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> status(b[1]).contains("\"peersOut\":1"));
    assertThat(status(a[1])).contains("\"network\":\"p2p\"").contains("\"peersIn\":1");
    // A TX (GossipSub) and an AV (gossip stream) broadcast by b reach a, and the other way round.
    for (String tag : List.of("TX", "AV")) {
      String fromB = broadcast(b[1], tag, "from b " + tag);
      String fromA = broadcast(a[1], tag, "from a " + tag);
      await().atMost(Duration.ofSeconds(30)).until(() -> received(a[1]).contains(fromB) && received(b[1]).contains(fromA));
    }

    Process first = processes.get(0);
    first.destroy();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();
    String[] again = start("--data-dir", dataDir.toString());
    assertThat(again[0]).isEqualTo(a[0]);
  }
}
