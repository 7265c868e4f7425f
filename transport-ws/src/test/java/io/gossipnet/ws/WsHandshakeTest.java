package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's handshake checks of inventory section 6, in their order, against raw requests. */
class WsHandshakeTest {
  private static final String PATH = "/v1/" + WsTestNodes.GENESIS + "/gossip";
  private WsTestNodes nodes;
  private WsNetwork server;

  @BeforeEach
  void startServer() {
    nodes = new WsTestNodes();
    server = nodes.start(b -> b);
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  private RawWsClient upgrade(String path, Map<String, String> headers) throws Exception {
    return RawWsClient.upgrade(server.localPort(), path, headers);
  }

  private static Map<String, String> valid() {
    return new java.util.LinkedHashMap<>(RawWsClient.validHeaders(WsTestNodes.GENESIS));
  }

  private double refused(int status) {
    var c = server.metrics().registry().find("gossipnet.ws.handshake.refused").tag("status", Integer.toString(status)).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aValidHandshakeUpgradesAndAnswersWithTheSeedHeaders() throws Exception {
    try (RawWsClient c = upgrade(PATH, valid())) {
      assertThat(c.status).isEqualTo(101);
      assertThat(c.headers).containsEntry("x-algorand-genesis", WsTestNodes.GENESIS);
      assertThat(c.headers).containsEntry("x-algorand-version", "2.2");
      assertThat(c.headers).containsEntry("x-algorand-location", "http://127.0.0.1:" + server.localPort());
      assertThat(c.headers.get("x-algorand-noderandom")).isNotBlank();
      assertThat(c.headers).doesNotContainKey("sec-websocket-extensions");
      WsTestNodes.awaitPeers(server, 1);
    }
  }

  @Test
  void permessageDeflateIsNeverNegotiated() throws Exception {
    Map<String, String> h = valid();
    h.put("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
    try (RawWsClient c = upgrade(PATH, h)) {
      assertThat(c.status).isEqualTo(101);
      assertThat(c.headers).doesNotContainKey("sec-websocket-extensions");
    }
  }

  @Test
  void aMissingGenesisPathVariableIs404() throws Exception {
    try (RawWsClient c = upgrade("/v1/gossip", valid())) {
      assertThat(c.status).isEqualTo(404);
    }
    // An empty segment is an ambiguous path, which Jetty refuses before routing.
    try (RawWsClient c = upgrade("/v1//gossip", valid())) {
      assertThat(c.status).isIn(400, 404);
    }
  }

  @Test
  void aWrongGenesisIs412() throws Exception {
    try (RawWsClient c = upgrade("/v1/other-net/gossip", valid())) {
      assertThat(c.status).isEqualTo(412);
      assertThat(refused(412)).isEqualTo(1);
    }
  }

  @Test
  void anUnsupportedVersionIs412() throws Exception {
    Map<String, String> h = valid();
    h.put("X-Algorand-Accept-Version", "1.0");
    h.put("X-Algorand-Version", "1.0");
    try (RawWsClient c = upgrade(PATH, h)) {
      assertThat(c.status).isEqualTo(412);
    }
  }

  @Test
  void versionNegotiationTakesTheFirstSupportedAcceptedVersionElseTheVersionHeader() throws Exception {
    Map<String, String> h = valid();
    h.put("X-Algorand-Accept-Version", "9.9, 2.2");
    h.put("X-Algorand-Version", "9.9");
    try (RawWsClient c = upgrade(PATH, h)) {
      assertThat(c.status).isEqualTo(101);
    }
    Map<String, String> fallback = valid();
    fallback.remove("X-Algorand-Accept-Version");
    try (RawWsClient c = upgrade(PATH, fallback)) {
      assertThat(c.status).isEqualTo(101);
      assertThat(c.headers).containsEntry("x-algorand-version", "2.2");
    }
  }

  @Test
  void aMissingNodeRandomIs412() throws Exception {
    Map<String, String> h = valid();
    h.remove("X-Algorand-NodeRandom");
    try (RawWsClient c = upgrade(PATH, h)) {
      assertThat(c.status).isEqualTo(412);
    }
  }

  @Test
  void aNodeThatDialsItselfGets508AndHasNoPeers() {
    // No public address, so the mesh cannot know the relay address is its own: the random ID tells.
    int port = WsTestNodes.freePort();
    WsNetwork self = nodes.start(NetworkConfig.builder(WsTestNodes.GENESIS)
        .listenAddress("127.0.0.1:" + port).relayPeers(List.of("127.0.0.1:" + port)).gossipFanout(1)
        .meshInterval(Duration.ofMillis(200)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      var c = self.metrics().registry().find("gossipnet.ws.handshake.refused").tag("status", "508").counter();
      return c != null && c.count() >= 1;
    });
    assertThat(self.connectedPeers()).isEmpty();
  }

  @Test
  void checksRunInTheSeedsOrderLimitsBeforeVersionBeforeGenesisBeforeRandom() throws Exception {
    // Everything wrong at once: the wrong version is reported, not the genesis or the random ID.
    Map<String, String> h = valid();
    h.put("X-Algorand-Accept-Version", "1.0");
    h.put("X-Algorand-Version", "1.0");
    h.remove("X-Algorand-NodeRandom");
    try (RawWsClient c = upgrade("/v1/other-net/gossip", h)) {
      assertThat(c.status).isEqualTo(412);
    }
    assertThat(refused(412)).isEqualTo(1);
    // Genesis is checked before the random ID: both wrong gives the genesis 412, then random alone.
    Map<String, String> noRandom = valid();
    noRandom.remove("X-Algorand-NodeRandom");
    try (RawWsClient c = upgrade("/v1/other-net/gossip", noRandom)) {
      assertThat(c.status).isEqualTo(412);
    }
  }

  @Test
  void oversizedHeadersAreRefusedAndTheNodeKeepsServing() throws Exception {
    Map<String, String> h = valid();
    h.put("X-Algorand-InstanceName", "x".repeat(8000));
    try (RawWsClient c = upgrade(PATH, h)) {
      assertThat(c.status).isEqualTo(431);
    }
    try (RawWsClient c = upgrade(PATH, valid())) {
      assertThat(c.status).isEqualTo(101);
    }
  }

  @Test
  void maliciousHeaderValuesAreSanitisedNotFatal() throws Exception {
    Map<String, String> h = valid();
    h.put("X-Algorand-InstanceName", "evil\u00ff\u00e9name");
    h.put("X-Algorand-TelId", "tel\u00b0id");
    h.put("X-Algorand-Peer-Features", "ppzstd,\u00e9vil," + "f,".repeat(100));
    h.put("X-Algorand-Location", "http://[bad");
    try (RawWsClient c = upgrade(PATH, h)) {
      assertThat(c.status).isEqualTo(101);
      WsTestNodes.awaitPeers(server, 1);
      var peer = server.connectedPeers().get(0);
      assertThat(peer.handshake().instanceName()).isEqualTo("evil\u25af\u25afname");
      assertThat(peer.handshake().telemetryGuid()).isEqualTo("tel\u25afid");
      assertThat(peer.handshake().features()).hasSizeLessThanOrEqualTo(16);
      assertThat(peer.address()).startsWith("http://127.0.0.1:");
    }
  }

  @Test
  void controlCharactersInHeadersAreRefusedAndTheNodeKeepsServing() throws Exception {
    Map<String, String> h = valid();
    h.put("X-Algorand-InstanceName", "bad\u0001name");
    try (RawWsClient c = upgrade(PATH, h)) {
      assertThat(c.status).isEqualTo(400);
    }
    try (RawWsClient c = upgrade(PATH, valid())) {
      assertThat(c.status).isEqualTo(101);
    }
  }

  @Test
  void aPlainGetOnTheGossipPathIsNotUpgraded() throws Exception {
    try (RawWsClient c = RawWsClient.get(server.localPort(), PATH, valid())) {
      assertThat(c.status).isEqualTo(400);
    }
  }

  @Test
  void theLocationHeaderNamesTheIncomingPeerOnlyWhenItsHostIsTheRemoteHost() throws Exception {
    Map<String, String> h = valid();
    h.put("X-Algorand-Location", "http://127.0.0.1:4160");
    try (RawWsClient c = upgrade(PATH, h)) {
      WsTestNodes.awaitPeers(server, 1);
      assertThat(server.connectedPeers().get(0).address()).isEqualTo("http://127.0.0.1:4160");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPeers().isEmpty());
    Map<String, String> other = valid();
    other.put("X-Algorand-Location", "http://10.9.8.7:4160");
    try (RawWsClient c = upgrade(PATH, other)) {
      WsTestNodes.awaitPeers(server, 1);
      assertThat(server.connectedPeers().get(0).address()).startsWith("http://127.0.0.1:").isNotEqualTo("http://127.0.0.1:4160");
    }
  }

  @Test
  void aLocationNameThatResolvesToTheRemoteHostNamesTheIncomingPeer() throws Exception {
    Map<String, String> h = valid();
    h.put("X-Algorand-Location", "http://localhost:4161");
    try (RawWsClient c = upgrade(PATH, h)) {
      WsTestNodes.awaitPeers(server, 1);
      assertThat(server.connectedPeers().get(0).address()).isEqualTo("http://localhost:4161");
    }
  }
}
