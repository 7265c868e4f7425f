package io.gossipnet.ws;

import io.gossipnet.guice.GossipNodeService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Tags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop, Guice wiring and TLS. */
class WsLifecycleTest {
  private static Set<String> transportThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("gossipnet-ws") || name.startsWith("gossipnet-maintenance") || name.startsWith("HttpClient-"))
        .collect(Collectors.toSet());
  }

  @Test
  void anOrderlyStopClosesPeersAndLeavesNoThreadBehind() {
    await().atMost(Duration.ofSeconds(20)).until(() -> transportThreads().isEmpty());
    WsTestNodes t = new WsTestNodes();
    WsNetwork a = t.start(b -> b);
    WsNetwork b = t.start(c -> c.relayPeers(List.of("127.0.0.1:" + a.localPort())).gossipFanout(1));
    WsTestNodes.awaitPeers(a, 1);
    WsTestNodes.awaitPeers(b, 1);
    assertThat(transportThreads()).isNotEmpty();
    b.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.connectedPeers().isEmpty());
    a.stop();
    await().atMost(Duration.ofSeconds(20)).until(() -> transportThreads().isEmpty());
  }

  @Test
  void theGuiceModuleBindsTheNodeAndStartsItOnlyWithTheService() throws Exception {
    NetworkConfig config = WsTestNodes.listening().build();
    Injector injector = Guice.createInjector(new WsTransportModule(config));
    GossipNode node = injector.getInstance(GossipNode.class);
    assertThat(node).isInstanceOf(WsNetwork.class).isSameAs(injector.getInstance(WsNetwork.class));
    WsNetwork ws = (WsNetwork) node;
    assertThat(ws.localPort()).isEqualTo(-1);
    assertThat(node.address()).isEmpty();
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    service.startAsync().awaitRunning(Duration.ofSeconds(10));
    try {
      assertThat(ws.localPort()).isPositive();
      assertThat(node.address()).contains(config.publicAddress());
    } finally {
      service.stopAsync().awaitTerminated(Duration.ofSeconds(20));
    }
    assertThat(service.state()).isEqualTo(com.google.common.util.concurrent.Service.State.TERMINATED);
  }

  @Test
  void wssIsServedWhenACertificateAndKeyAreConfigured(@TempDir Path dir) throws Exception {
    Path[] pem = selfSignedPem(dir);
    int port = WsTestNodes.freePort();
    try (WsTestNodes t = new WsTestNodes()) {
      WsNetwork secure = t.start(
          NetworkConfig.builder(WsTestNodes.GENESIS).listenAddress("127.0.0.1:" + port).publicAddress("https://127.0.0.1:" + port).gossipFanout(0).build(),
          WsConfig.builder().tls(pem[0], pem[1]).build());
      assertThat(secure.address()).contains("https://127.0.0.1:" + port);
      List<IncomingMessage> got = WsTestNodes.record(secure, Tags.TX);
      WsNetwork dialer = t.start(WsTestNodes.listening().relayPeers(List.of("https://127.0.0.1:" + port)).gossipFanout(1).build(),
          WsConfig.builder().trustAllCertificates(true).build());
      WsTestNodes.awaitPeers(dialer, 1);
      dialer.broadcast(Tags.TX, new byte[] {1}, true, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> dialer.connectedPeers().get(0).identityVerified());
    }
  }

  /** A self-signed certificate and PKCS#8 key as PEM files, made with the JDK's keytool. */
  static Path[] selfSignedPem(Path dir) throws Exception {
    Path ks = dir.resolve("ks.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "n", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", "secret", "-keypass", "secret")
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(ks)) {
      store.load(in, "secret".toCharArray());
    }
    Key key = store.getKey("n", "secret".toCharArray());
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Path cert = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(store.getCertificate("n").getEncoded()) + "\n-----END CERTIFICATE-----\n");
    Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return new Path[] {cert, keyFile};
  }
}
