package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.spi.HandshakeException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Outgoing connections: self-avoidance, dedup, handshake timeouts on both sides. */
class WsDialingTest {
  @Test
  void theMeshNeverDialsItsOwnPublicAddressOrAPeerItIsConnectedTo() {
    try (WsTestNodes t = new WsTestNodes()) {
      WsNetwork a = t.start(b -> b);
      int selfPort = WsTestNodes.freePort();
      String self = "127.0.0.1:" + selfPort;
      WsNetwork b = t.start(WsTestNodes.listening().listenAddress(self).publicAddress("http://" + self)
          .relayPeers(List.of(self, "http://127.0.0.1:" + a.localPort(), "ws://127.0.0.1:" + a.localPort() + "/"))
          .gossipFanout(3).meshInterval(Duration.ofMillis(200)).build());
      WsTestNodes.awaitPeers(b, 1);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> b.connectedPeers().size() == 1 && a.connectedPeers().size() == 1);
      assertThat(b.metrics().registry().find("gossipnet.ws.handshake.refused").counters()).isEmpty();
    }
  }

  @Test
  void aDialToAServerThatNeverAnswersTimesOut() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        WsTestNodes t = new WsTestNodes()) {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (Exception e) {
          // closed
        }
      });
      WsNetwork n = t.start(WsTestNodes.listening().build(), WsConfig.builder().handshakeTimeout(Duration.ofMillis(500)).build());
      long start = System.nanoTime();
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> n.transport().dial("127.0.0.1:" + silent.getLocalPort()).get(10, TimeUnit.SECONDS));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(e.getCause()).isNotInstanceOf(HandshakeException.class);
      acceptor.interrupt();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void theServerDropsAConnectionThatSendsNoRequestWithinTheHeaderTimeout() throws Exception {
    try (WsTestNodes t = new WsTestNodes()) {
      WsNetwork n = t.start(WsTestNodes.listening().build(), WsConfig.builder().readHeaderTimeout(Duration.ofMillis(500)).build());
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), n.localPort())) {
        s.getOutputStream().write("GET /status HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        s.setSoTimeout(10_000);
        long start = System.nanoTime();
        InputStream in = s.getInputStream();
        while (in.read() >= 0) {
          // Jetty may answer 408 before closing
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      }
    }
  }
}
