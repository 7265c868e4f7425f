package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.GossipException;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.Tags;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's slow-writer and idle disconnects over real sockets, with short intervals. */
class WsLivenessTest {
  private static final String PATH = "/v1/" + WsTestNodes.GENESIS + "/gossip";
  private WsTestNodes nodes;

  @BeforeEach
  void setUp() {
    nodes = new WsTestNodes();
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  @Test
  void aPeerThatStopsReadingIsClosedAsSlowAndDoesNotStallTheOthers() throws Exception {
    WsNetwork server = nodes.start(
        WsTestNodes.listening().slowWriterCheckInterval(Duration.ofMillis(200)).slowWriterTimeout(Duration.ofSeconds(2)).build(),
        WsConfig.builder().maxOutstandingFrames(8).build());
    WsNetwork healthy = nodes.start(b -> b.relayPeers(List.of("127.0.0.1:" + server.localPort())).gossipFanout(1));
    List<IncomingMessage> atHealthy = WsTestNodes.record(healthy, Tags.TX);
    WsTestNodes.awaitPeers(server, 1);
    try (RawWsClient stuck = RawWsClient.upgrade(server.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS))) {
      assertThat(stuck.status).isEqualTo(101);
      WsTestNodes.awaitPeers(server, 2);
      byte[] chunk = new byte[16 * 1024];
      int sent = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (server.metrics().disconnectCount(DisconnectReason.SLOW_CONNECTION) == 0 && System.nanoTime() < deadline) {
        // Paced by the healthy peer: it keeps receiving while the stuck one fills its buffers.
        if (sent - atHealthy.size() > 200) {
          Thread.onSpinWait();
          continue;
        }
        try {
          server.broadcast(Tags.TX, chunk, false, null);
          sent++;
        } catch (GossipException.QueueFull e) {
          Thread.onSpinWait();
        }
      }
      assertThat(server.metrics().disconnectCount(DisconnectReason.SLOW_CONNECTION)).isEqualTo(1);
      int total = sent;
      await().atMost(Duration.ofSeconds(30)).until(() -> atHealthy.size() == total);
      assertThat(server.connectedPeers()).hasSize(1);
    }
  }

  @Test
  void anIdlePeerIsDisconnected() throws Exception {
    WsNetwork server = nodes.start(b -> b.idleCheckInterval(Duration.ofMillis(200)).idleTimeout(Duration.ofSeconds(1)));
    try (RawWsClient idle = RawWsClient.upgrade(server.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS))) {
      assertThat(idle.status).isEqualTo(101);
      WsTestNodes.awaitPeers(server, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPeers().isEmpty());
      assertThat(server.metrics().disconnectCount(DisconnectReason.IDLE_CONNECTION)).isEqualTo(1);
      assertThat(idle.awaitClose(Duration.ofSeconds(5))).isNotEqualTo(-2);
    }
  }

  @Test
  void aPeerThatAnswersNoPingIsClosedLongBeforeTheIdleTimeout() throws Exception {
    WsNetwork server = nodes.start(WsTestNodes.listening().build(),
        WsConfig.builder().pingInterval(Duration.ofMillis(300)).pongTimeout(Duration.ofMillis(600)).build());
    try (RawWsClient silent = RawWsClient.upgrade(server.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS))) {
      assertThat(silent.status).isEqualTo(101);
      WsTestNodes.awaitPeers(server, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPeers().isEmpty());
      assertThat(server.metrics().disconnectCount(DisconnectReason.READ_ERROR)).isEqualTo(1);
    }
  }

  @Test
  void peersThatAnswerPingsStayConnectedWithoutTraffic() {
    WsConfig fastPing = WsConfig.builder().pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(400)).build();
    WsNetwork a = nodes.start(WsTestNodes.listening().build(), fastPing);
    WsNetwork b = nodes.start(WsTestNodes.listening().relayPeers(List.of("127.0.0.1:" + a.localPort())).gossipFanout(1).build(), fastPing);
    WsTestNodes.awaitPeers(a, 1);
    WsTestNodes.awaitPeers(b, 1);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> a.connectedPeers().size() == 1 && b.connectedPeers().size() == 1);
  }

  @Test
  void aBatchLargerThanTheOutstandingFrameBoundStillGoesOut() {
    WsConfig tiny = WsConfig.builder().maxOutstandingFrames(2).build();
    WsNetwork a = nodes.start(WsTestNodes.listening().build(), tiny);
    WsNetwork b = nodes.start(WsTestNodes.listening().relayPeers(List.of("127.0.0.1:" + a.localPort())).gossipFanout(1).build(), tiny);
    List<IncomingMessage> atA = WsTestNodes.record(a, Tags.TX);
    WsTestNodes.awaitPeers(a, 1);
    for (int i = 0; i < 500; i++) {
      b.broadcast(Tags.TX, new byte[] {(byte) i, (byte) (i >> 8)}, true, null);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> atA.size() == 500);
    assertThat(b.metrics().disconnectCount(DisconnectReason.SLOW_CONNECTION)).isZero();
  }
}
