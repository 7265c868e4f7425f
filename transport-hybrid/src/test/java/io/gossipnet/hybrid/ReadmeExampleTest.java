package io.gossipnet.hybrid;

import static io.gossipnet.hybrid.HybridNodes.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Injector;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tags;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.testkit.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of the root README is a real program: this test takes the block after the
 * {@code <!-- readme-example: HybridNode -->} marker out of README.md, compiles it against this
 * module's classpath and runs two of its nodes and a P2P-only peer against each other.
 */
class ReadmeExampleTest {
  private static final Pattern EXAMPLE =
      Pattern.compile("<!-- readme-example: HybridNode -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private final List<GossipNodeService> services = new ArrayList<>();
  private P2PNetwork p2pOnly;

  @TempDir Path tmp;

  @AfterEach
  void stop() {
    if (p2pOnly != null) {
      p2pOnly.stop();
    }
    services.forEach(s -> s.stopAsync().awaitTerminated());
  }

  @Test
  void theReadmesHybridNodeCompilesAndItsNodesConnectOnceAndRelayTransactionsAcrossBothTransports() throws Exception {
    Method build = compileExample().getMethod("build", int.class, int.class, Path.class, List.class);

    int wsA = FreePorts.loopback();
    int p2pA = FreePorts.loopback();
    HybridNetwork a = start((Injector) build.invoke(null, wsA, p2pA, tmp.resolve("a"), List.of()));
    String aP2p = a.p2pAddress().orElseThrow();
    assertThat(Files.exists(tmp.resolve("a").resolve("peerIDPrivKey.key"))).as("the key is kept in the data directory").isTrue();
    // B lists A under both transports: it ends with one connection to it, over WS.
    HybridNetwork b = start((Injector) build.invoke(null, FreePorts.loopback(), FreePorts.loopback(), tmp.resolve("b"),
        List.of("127.0.0.1:" + wsA, aP2p)));
    p2pOnly = new P2PNetwork(NetworkConfig.builder("mainnet-v1.0").relayPeers(List.of(aP2p)).gossipFanout(1).build(),
        P2PConfig.builder().forceFetchTransactions(true).build(), new SimpleMeterRegistry());
    List<IncomingMessage> atP2pOnly = HybridNodes.record(p2pOnly, Tags.TX, OutgoingMessage.ignore());
    p2pOnly.start();
    // B dials A over both (the mesh fills the fanout over P2P while the WS dial is on its way);
    // the WS connection replaces the P2P one on both ends.
    await().atMost(WAIT).until(() -> a.connectedPeers().size() == 2 && b.connectedPeers().size() == 1
        && b.connectedPeers().get(0).networkType().equals("ws") && a.ws().connectedPeers().size() == 1
        && a.p2p().gossipSub().orElseThrow().topicPeers(io.gossipnet.p2p.GossipSubDerivation.TX_TOPIC).contains(p2pOnly.peerId()));

    // A TX from B reaches A over WS; A's handler sends it on over GossipSub to the P2P-only peer.
    b.broadcast(Tags.TX, "pay 5".getBytes(StandardCharsets.UTF_8), true, null);
    await().atMost(WAIT).until(() -> atP2pOnly.size() == 1);
    assertThat(new String(atP2pOnly.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("pay 5");

    // The HTTP service and the built-in ones answer on both transports, from one registration.
    String hello = "/v1/mainnet-v1.0/hello/world";
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      var overWs = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(a.address().orElseThrow() + hello)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(overWs.body()).isEqualTo("hello world");
    }
    assertThat(p2pOnly.httpClient(aP2p).send(HttpRequest.get(hello)).bodyText()).isEqualTo("hello world");
    String metrics = p2pOnly.httpClient(aP2p).send(HttpRequest.get("/metrics")).bodyText();
    assertThat(metrics).contains("network=\"ws\"").contains("network=\"p2p\"");
    String peers = p2pOnly.httpClient(aP2p).send(HttpRequest.get("/v1/peers")).bodyText();
    assertThat(peers).contains("\"network\":\"ws\"").contains("\"network\":\"p2p\"");

    // An empty TX makes A close the sender.
    b.broadcast(Tags.TX, new byte[0], true, null);
    await().atMost(WAIT).until(() -> b.connectedPeers().isEmpty());
  }

  private HybridNetwork start(Injector injector) {
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    services.add(service);
    service.startAsync().awaitRunning();
    GossipNode node = injector.getInstance(GossipNode.class);
    assertThat(node).isInstanceOf(HybridNetwork.class);
    return (HybridNetwork) node;
  }

  private Class<?> compileExample() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher m = EXAMPLE.matcher(readme);
    assertThat(m.find()).as("README.md has the HybridNode example").isTrue();
    Path src = tmp.resolve("src").resolve("HybridNode.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, m.group(1));
    Path out = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc = javac.run(null, diagnostics, diagnostics, "-proc:none", "-Xlint:all", "-Werror",
        "-cp", System.getProperty("java.class.path"), "-d", out.toString(), src.toString());
    assertThat(rc).as("javac: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();
    URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
    return loader.loadClass("HybridNode");
  }
}
