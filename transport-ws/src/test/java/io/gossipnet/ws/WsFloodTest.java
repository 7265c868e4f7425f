package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.Tags;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Floods against each limit of a WebSocket node a remote can push against, over real sockets: the
 * excess is refused with its status or close code and counted, a peer connected before the flood
 * keeps being served (its message arrives), and what the node holds stays bounded.
 */
class WsFloodTest {
  private static final String PATH = "/v1/" + WsTestNodes.GENESIS + "/gossip";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final WsTestNodes nodes = new WsTestNodes();
  private final List<RawWsClient> clients = new ArrayList<>();
  private List<IncomingMessage> honestReceived;
  private int honestSent;

  @AfterEach
  void tearDown() throws Exception {
    for (RawWsClient c : clients) {
      c.close();
    }
    nodes.close();
  }

  /** A well-behaved node connected to {@code target} before any flood; its messages are recorded there. */
  private WsNetwork honestPeerOf(WsNetwork target) {
    honestReceived = WsTestNodes.record(target, Tags.AV);
    WsNetwork honest = nodes.start(b -> b.relayPeers(List.of("127.0.0.1:" + target.localPort())).gossipFanout(1));
    await().atMost(WAIT).until(() -> honest.connectedPeers().size() == 1 && target.connectedPeers().size() == 1);
    assertServed(honest);
    return honest;
  }

  /** A message of the honest node reaches the target. */
  private void assertServed(WsNetwork honest) {
    String text = "honest-" + (++honestSent);
    honest.broadcast(Tags.AV, text.getBytes(StandardCharsets.UTF_8), false, null);
    await().atMost(WAIT).until(() -> honestReceived.stream().anyMatch(m -> new String(m.data(), StandardCharsets.UTF_8).equals(text)));
  }

  private static double counted(WsNetwork n, String name, String tag, String value) {
    Counter c = n.metrics().registry().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  /**
   * Sends {@code count} upgrade requests at once, then reads every answer, and for each upgraded
   * connection the close that follows, if one does: counts by status, 101 split into kept ones
   * ({@code 101}) and ones closed right after the upgrade (by their close code).
   */
  private Map<Integer, Integer> upgradeAtOnce(WsNetwork target, int count, int expectPeers) throws Exception {
    List<RawWsClient> flood = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RawWsClient c = RawWsClient.idle(target.localPort());
      clients.add(c);
      flood.add(c);
    }
    for (RawWsClient c : flood) {
      c.sendUpgradeRequest(target.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS));
    }
    List<RawWsClient> upgraded = new ArrayList<>();
    Map<Integer, Integer> outcomes = new TreeMap<>();
    for (RawWsClient c : flood) {
      if (c.readResponse() == 101) {
        upgraded.add(c);
      } else {
        outcomes.merge(c.status, 1, Integer::sum);
      }
    }
    // the node settles on its peers, then what it closed has been sent
    await().atMost(WAIT).until(() -> target.connectedPeers().size() == expectPeers
        && counted(target, "gossipnet.connections.dropped", "reason", "IncomingLimit") == upgraded.size() - (expectPeers - 1));
    for (RawWsClient c : upgraded) {
      int close = c.awaitClose(Duration.ofMillis(500));
      outcomes.merge(close == -2 ? 101 : close, 1, Integer::sum);
    }
    return outcomes;
  }

  @Test
  void handshakesArrivingAtOncePastTheIncomingLimitAreRefusedTheExcessAndTheOtherPeerIsServed() throws Exception {
    // 8 places, the honest peer takes one; 8 upgrades at once (at most 8 pending HTTP connections
    // are let through to the handshake: more are answered 503 before it)
    WsNetwork target = nodes.start(b -> b.incomingConnectionsLimit(8).maxConnectionsPerIp(100));
    WsNetwork honest = honestPeerOf(target);
    Map<Integer, Integer> outcomes = upgradeAtOnce(target, 8, 8);
    assertThat(outcomes.get(101)).as("kept").isEqualTo(7);
    assertThat(outcomes.getOrDefault(503, 0) + outcomes.getOrDefault(1013, 0)).as("refused, or closed once upgraded").isEqualTo(1);
    assertThat(counted(target, "gossipnet.ws.handshake.refused", "status", "503")).isEqualTo((double) outcomes.getOrDefault(503, 0));
    assertThat(target.connectedPeers()).hasSize(8);
    assertServed(honest);
  }

  @Test
  void handshakesFromOneAddressArrivingAtOncePastThePerIpLimitAreRefusedTheExcessAndTheOtherPeerIsServed() throws Exception {
    WsNetwork target = nodes.start(b -> b.incomingConnectionsLimit(100).maxConnectionsPerIp(3));
    WsNetwork honest = honestPeerOf(target); // from 127.0.0.1 as well
    Map<Integer, Integer> outcomes = upgradeAtOnce(target, 12, 3);
    assertThat(outcomes.get(101)).as("kept").isEqualTo(2);
    assertThat(outcomes.getOrDefault(503, 0) + outcomes.getOrDefault(1013, 0)).as("refused, or closed once upgraded").isEqualTo(10);
    assertThat(counted(target, "gossipnet.ws.handshake.refused", "status", "503")).isEqualTo((double) outcomes.getOrDefault(503, 0));
    assertThat(target.connectedPeers()).hasSize(3);
    assertServed(honest);
  }

  private static double gauge(WsNetwork n, String name) {
    return n.metrics().registry().get(name).gauge().value();
  }

  private RawWsClient idle(WsNetwork target) throws Exception {
    RawWsClient c = RawWsClient.idle(target.localPort());
    clients.add(c);
    return c;
  }

  @Test
  void gossipPeersAtTheIncomingLimitAreNotPendingConnectionsAndHttpRequestsAreServed() throws Exception {
    // Upgraded connections were counted as pending HTTP connections: a node with its incoming
    // places taken answered every HTTP request but /status with 503.
    WsNetwork target = nodes.start(b -> b.incomingConnectionsLimit(2).maxConnectionsPerIp(100));
    target.registerHttpHandler("/other", req -> io.gossipnet.core.http.HttpResponse.text(200, "other"));
    WsNetwork honest = honestPeerOf(target);
    RawWsClient second = RawWsClient.upgrade(target.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS));
    clients.add(second);
    assertThat(second.status).isEqualTo(101);
    await().atMost(WAIT).until(() -> target.connectedPeers().size() == 2);
    assertThat(gauge(target, "gossipnet.ws.http.pending")).isZero();
    try (RawWsClient other = RawWsClient.get(target.localPort(), "/other")) {
      assertThat(other.status).isEqualTo(200);
    }
    assertThat(target.metrics().registry().get("gossipnet.ws.pending.refused").counter().count()).isZero();
    assertServed(honest);
  }

  @Test
  void moreConnectionsPendingThanTheIncomingLimitAreAnswered503ButStatusAndTheOtherPeerAreServed() throws Exception {
    WsNetwork target = nodes.start(b -> b.incomingConnectionsLimit(3).maxConnectionsPerIp(100));
    target.registerHttpHandler("/status", req -> io.gossipnet.core.http.HttpResponse.json(200, "{}"));
    target.registerHttpHandler("/other", req -> io.gossipnet.core.http.HttpResponse.text(200, "other"));
    WsNetwork honest = honestPeerOf(target);
    for (int i = 0; i < 8; i++) {
      idle(target); // connected, never sends a request
    }
    await().atMost(WAIT).until(() -> gauge(target, "gossipnet.ws.http.pending") == 8);
    try (RawWsClient other = RawWsClient.get(target.localPort(), "/other")) {
      assertThat(other.status).isEqualTo(503);
    }
    assertThat(target.metrics().registry().get("gossipnet.ws.pending.refused").counter().count()).isEqualTo(1);
    try (RawWsClient status = RawWsClient.get(target.localPort(), "/status")) {
      assertThat(status.status).isEqualTo(200);
    }
    assertServed(honest);
    for (RawWsClient c : clients) {
      c.close();
    }
    await().atMost(WAIT).until(() -> gauge(target, "gossipnet.ws.http.pending") == 0);
    try (RawWsClient other = RawWsClient.get(target.localPort(), "/other")) {
      assertThat(other.status).isEqualTo(200);
    }
  }

  @Test
  void connectionsThatNeverSendARequestAreHeldAtTheConnectionCapAndClosedAtTheReadHeaderTimeoutAndTheOtherPeerIsServed()
      throws Exception {
    // incoming limit 2 and 3 reserved places: at most 5 TCP connections, the honest peer's included
    WsNetwork target = nodes.start(
        WsTestNodes.listening().incomingConnectionsLimit(2).maxConnectionsPerIp(100).build(),
        WsConfig.builder().reservedHealthConnections(3).readHeaderTimeout(Duration.ofMillis(500)).build());
    WsNetwork honest = honestPeerOf(target);
    List<RawWsClient> flood = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      flood.add(idle(target)); // past the cap they wait in the listen backlog
    }
    double[] mostPending = new double[1];
    await().atMost(WAIT).until(() -> {
      mostPending[0] = Math.max(mostPending[0], gauge(target, "gossipnet.ws.http.pending"));
      return target.metrics().registry().get("gossipnet.ws.http.closed.idle").counter().count() == 10;
    });
    assertThat(mostPending[0]).as("pending connections at most").isLessThanOrEqualTo(4);
    for (RawWsClient c : flood) {
      assertThat(c.awaitClose(Duration.ofSeconds(1))).as("closed without an answer").isZero();
    }
    assertServed(honest);
  }

  @Test
  void aPeerConnectingFasterThanTheRateLimitIsAnswered429ThenDroppedAndTheOtherPeerIsServed() throws Exception {
    WsNetwork target = nodes.start(
        WsTestNodes.listening().connectionsRateLimitingCount(3).connectionsRateLimitingWindow(Duration.ofSeconds(30)).build(),
        WsConfig.builder().disableLocalhostConnectionRateLimit(false).build());
    WsNetwork honest = honestPeerOf(target); // its connection is the first of 127.0.0.1's three
    Map<Integer, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      try {
        RawWsClient c = RawWsClient.upgrade(target.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS));
        clients.add(c);
        outcomes.merge(c.status, 1, Integer::sum);
      } catch (java.io.IOException dropped) {
        outcomes.merge(0, 1, Integer::sum);
      }
    }
    // connections 2 and 3 of the window are upgraded, 4 to 6 answered 429, from 7 on dropped unanswered
    assertThat(outcomes).isEqualTo(Map.of(101, 2, 429, 3, 0, 5));
    assertThat(target.metrics().registry().get("gossipnet.ws.rate.limited").counter().count()).isEqualTo(8);
    assertServed(honest);
  }

  @Test
  void aPeerThatStopsReadingHoldsAtMostItsOutstandingFramesAndIsClosedAsASlowWriterWhileTheOtherPeerIsServed()
      throws Exception {
    int outstanding = 8;
    WsNetwork target = nodes.start(
        WsTestNodes.listening().slowWriterCheckInterval(Duration.ofMillis(200)).slowWriterTimeout(Duration.ofSeconds(1)).build(),
        WsConfig.builder().maxOutstandingFrames(outstanding).build());
    WsNetwork honest = nodes.start(b -> b.relayPeers(List.of("127.0.0.1:" + target.localPort())).gossipFanout(1));
    List<IncomingMessage> atHonest = WsTestNodes.record(honest, Tags.TX);
    await().atMost(WAIT).until(() -> target.connectedPeers().size() == 1);
    RawWsClient stalled = RawWsClient.upgrade(target.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS));
    clients.add(stalled);
    stalled.socket.setReceiveBufferSize(4096);
    await().atMost(WAIT).until(() -> target.connectedPeers().size() == 2);
    // broadcasts of 64 KiB: the stalled peer's socket buffers fill, then its frames stay outstanding
    int[] most = new int[1];
    int[] sent = new int[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
      target.broadcast(Tags.TX, java.nio.ByteBuffer.allocate(64 * 1024).putInt(++sent[0]).array(), false, null);
      most[0] = Math.max(most[0], target.transport().mostOutstandingFrames());
      return counted(target, "gossipnet.connections.dropped", "reason", "SlowConnection") == 1;
    });
    assertThat(most[0]).as("frames outstanding on one connection").isLessThanOrEqualTo(outstanding);
    assertThat(target.connectedPeers()).hasSize(1);
    int last = sent[0];
    target.broadcast(Tags.TX, java.nio.ByteBuffer.allocate(64).putInt(last + 1).array(), false, null);
    await().atMost(WAIT).until(() -> atHonest.stream().anyMatch(m -> java.nio.ByteBuffer.wrap(m.data()).getInt() == last + 1));
  }

  @Test
  void requestsWithHeadsOverTheHeaderLimitAreAnswered431AndCountedAndTheOtherPeerIsServed() throws Exception {
    WsNetwork target = nodes.start(b -> b.maxConnectionsPerIp(100));
    WsNetwork honest = honestPeerOf(target);
    for (int i = 0; i < 10; i++) {
      Map<String, String> h = new java.util.LinkedHashMap<>(RawWsClient.validHeaders(WsTestNodes.GENESIS));
      h.put("X-Padding", "x".repeat(WsConfig.DEFAULT_MAX_HEADER_SIZE * 2));
      try (RawWsClient c = RawWsClient.upgrade(target.localPort(), PATH, h)) {
        assertThat(c.status).isEqualTo(431);
      }
    }
    assertThat(counted(target, "gossipnet.ws.http.errors", "status", "431")).isEqualTo(10);
    assertThat(target.connectedPeers()).hasSize(1);
    assertServed(honest);
  }
}
