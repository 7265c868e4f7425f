package io.gossipnet.node;

import static io.gossipnet.p2p.interop.JsAlgorandPeer.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.testing.CloseAfterEach;
import io.gossipnet.p2p.interop.JsAlgorandPeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gossipnet run --transport p2p --demo-api} as a process and a js-libp2p peer speaking
 * go-algorand's P2P protocol ({@code transport-p2p/src/test/js-algorand}, {@link JsAlgorandPeer})
 * exchange TX (GossipSub {@code algotx01}) and AV (the {@code /algorand-ws/2.2.0} stream) both
 * ways; js drives the node's demo API and reads its {@code /status} over libp2p HTTP. Without Node
 * or the npm packages the test fails when {@code REQUIRE_NODE=1} (CI) and is skipped otherwise.
 */
class RunP2pJsInteropTest {
  private static final String GENESIS = "run-p2p-js-v1";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern LISTENING =
      Pattern.compile("\\{\"event\":\"listening\",\"network\":\"p2p\",\"peerId\":\"([^\"]+)\",\"addrs\":\\[\"([^\"]+)\"]}");
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();
  @TempDir Path dir;
  private JsAlgorandPeer js;
  private String nodeAddr;

  private JsonObject demo(String method, String pathAndQuery, String body) throws Exception {
    JsonObject r = js.fetch(nodeAddr, method, "/v1/" + GENESIS + "/demo/" + pathAndQuery, body);
    assertThat(r.get("status").getAsInt()).as(r.toString()).isEqualTo(200);
    return r;
  }

  private String received() throws Exception {
    return demo("GET", "received", null).get("body").getAsString();
  }

  @Test
  void runTransportP2pAndAJsLibp2pPeerExchangeTxAndAvBothWays() throws Exception {
    Path stderr = dir.resolve("node.stderr");
    Process node = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), GossipnetCli.class.getName(),
        "run", "--transport", "p2p", "--listen", "127.0.0.1:0", "--genesis", GENESIS, "--mesh-interval-ms", "500", "--demo-api")
        .redirectError(stderr.toFile()).start();
    closeables.add(() -> {
      node.destroyForcibly();
      node.waitFor(10, TimeUnit.SECONDS);
    });
    String line = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8)).readLine();
    Matcher m = LISTENING.matcher(String.valueOf(line));
    assertThat(m.matches()).as("listening line %s; node stderr:%n%s", line, Files.readString(stderr)).isTrue();
    PeerId nodeId = PeerId.fromString(m.group(1));
    nodeAddr = m.group(2);

    // js sorts higher: the node opens the gossip stream on the connection js dials, js writes first.
    js = closeables.add(JsAlgorandPeer.start(options("seed", JsAlgorandPeer.seedSorting(false, nodeId), "genesis", GENESIS)));
    try {
      exchangeTxAndAvBothWays(nodeId);
    } catch (AssertionError | RuntimeException e) {
      String log = Files.readString(stderr);
      throw new AssertionError(e.getMessage() + "\nnode stderr (tail):\n" + log.substring(Math.max(0, log.length() - 4000))
          + "\njs stderr:\n" + js.stderr(), e);
    }
  }

  private void exchangeTxAndAvBothWays(PeerId nodeId) throws Exception {
    js.dial(nodeAddr);
    JsonObject meta = js.awaitMetadata(nodeId, WAIT);
    assertThat(meta.get("opener").getAsString()).isEqualTo("remote");
    assertThat(meta.getAsJsonObject("headers").getAsJsonArray("X-Algorand-Genesis").get(0).getAsString()).isEqualTo(GENESIS);
    await().atMost(WAIT).until(() -> js.fetch(nodeAddr, "GET", "/status", null).get("body").getAsString().contains("\"peersIn\":1"));

    // AV over the gossip stream, both ways.
    String avFromNode = idOf(demo("POST", "broadcast?tag=AV", "av from the node"));
    assertThat(avFromNode).isEqualTo(DemoApi.sha256("av from the node".getBytes(StandardCharsets.UTF_8)));
    js.send(nodeId, "AV", "av from js");
    String avFromJs = DemoApi.sha256("av from js".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> js.frames(nodeId, "AV").contains("av from the node") && received().contains(avFromJs));

    // TX over GossipSub, both ways. Until the node knows js subscribed, its publish reaches no one:
    // broadcast new TX until one arrives.
    await().atMost(WAIT).until(() -> js.txSubscribers().contains(nodeId.toBase58()));
    js.publish("tx from js");
    String txFromJs = DemoApi.sha256("tx from js".getBytes(StandardCharsets.UTF_8));
    AtomicInteger attempt = new AtomicInteger();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
      demo("POST", "broadcast?tag=TX", "tx from the node " + attempt.incrementAndGet());
      return js.txs().stream().anyMatch(e -> e.get("text").getAsString().startsWith("tx from the node "));
    });
    await().atMost(WAIT).until(() -> received().contains(txFromJs));
    assertThat(js.txs()).allMatch(e -> e.get("source").getAsString().equals(nodeId.toBase58()));
    assertThat(js.frames(nodeId, "TX")).as("TX never goes over the gossip stream").isEmpty();
  }

  private static String idOf(JsonObject broadcastAnswer) {
    Matcher m = Pattern.compile("\"id\":\"([0-9a-f]+)\"").matcher(broadcastAnswer.get("body").getAsString());
    assertThat(m.find()).as(broadcastAnswer.toString()).isTrue();
    return m.group(1);
  }
}
