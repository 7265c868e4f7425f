package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.phonebook.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityKeys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three-step identity challenge of inventory section 6.1 over real WebSocket handshakes. */
class WsIdentityTest {
  private static final String PATH = "/v1/" + WsTestNodes.GENESIS + "/gossip";
  private static final String HEADER = Ed25519IdentityChallengeScheme.HEADER_NAME;
  private WsTestNodes nodes;
  private WsNetwork server;
  private String serverAddress;
  private final Ed25519IdentityChallengeScheme client = new Ed25519IdentityChallengeScheme(IdentityKeys.generate(), Set.of());

  @BeforeEach
  void startServer() {
    nodes = new WsTestNodes();
    server = nodes.start(b -> b);
    serverAddress = "http://127.0.0.1:" + server.localPort();
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  private Map<String, String> withChallenge(String header) {
    Map<String, String> h = new LinkedHashMap<>(RawWsClient.validHeaders(WsTestNodes.GENESIS));
    if (header != null) {
      h.put(HEADER, header);
    }
    return h;
  }

  private static double count(WsNetwork n, String meter) {
    var c = n.metrics().registry().find(meter).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aValidChallengeIsAnsweredAndTheVerificationMessageVerifiesThePeer() throws Exception {
    IdentityChallengeScheme.Challenge ch = client.createChallenge(serverAddress);
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge(ch.headerValue()))) {
      assertThat(c.status).isEqualTo(101);
      HandshakeIdentity id = client.verifyResponse(c.headers.get(HEADER.toLowerCase()), ch);
      assertThat(id).isInstanceOf(HandshakeIdentity.Verified.class);
      WsTestNodes.awaitPeers(server, 1);
      assertThat(server.connectedPeers().get(0).identityVerified()).isFalse();
      c.sendMessage("NI", client.verificationMessage(((HandshakeIdentity.Verified) id).responseChallenge()));
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPeers().get(0).identityVerified());
    }
  }

  @Test
  void aMalformedChallengeIsRefusedWith412AndCounted() throws Exception {
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge("not-base64-@@@"))) {
      assertThat(c.status).isEqualTo(412);
    }
    assertThat(count(server, "gossipnet.ws.identity.errors")).isEqualTo(1);
    assertThat(server.connectedPeers()).isEmpty();
  }

  @Test
  void aWronglySignedChallengeIsRefusedWith412() throws Exception {
    String good = client.createChallenge(serverAddress).headerValue();
    byte[] raw = java.util.Base64.getDecoder().decode(good);
    raw[raw.length - 5] ^= 0x01; // inside the signature
    String tampered = java.util.Base64.getEncoder().encodeToString(raw);
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge(tampered))) {
      assertThat(c.status).isEqualTo(412);
    }
  }

  @Test
  void anOversizedChallengeHeaderIsRefused() throws Exception {
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge("A".repeat(2000)))) {
      assertThat(c.status).isEqualTo(412);
    }
  }

  @Test
  void aChallengeForAnotherAddressProceedsWithoutIdentity() throws Exception {
    IdentityChallengeScheme.Challenge ch = client.createChallenge("http://somebody-else:4160");
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge(ch.headerValue()))) {
      assertThat(c.status).isEqualTo(101);
      assertThat(c.headers).doesNotContainKey(HEADER.toLowerCase());
      WsTestNodes.awaitPeers(server, 1);
      assertThat(server.connectedPeers().get(0).handshake().identity()).isEqualTo(HandshakeIdentity.NONE);
    }
  }

  @Test
  void noChallengeProceedsWithoutIdentity() throws Exception {
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge(null))) {
      assertThat(c.status).isEqualTo(101);
      assertThat(c.headers).doesNotContainKey(HEADER.toLowerCase());
    }
  }

  @Test
  void aBadVerificationMessageClosesThePeerWithBadIdentityData() throws Exception {
    IdentityChallengeScheme.Challenge ch = client.createChallenge(serverAddress);
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge(ch.headerValue()))) {
      assertThat(c.status).isEqualTo(101);
      WsTestNodes.awaitPeers(server, 1);
      c.sendMessage("NI", new byte[] {(byte) 0x81, 0x01, 0x02});
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPeers().isEmpty());
      assertThat(server.metrics().disconnectCount(DisconnectReason.BAD_IDENTITY_DATA)).isEqualTo(1);
    }
  }

  @Test
  void aVerificationMessageSigningAnotherChallengeClosesWithBadIdentityData() throws Exception {
    IdentityChallengeScheme.Challenge ch = client.createChallenge(serverAddress);
    try (RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, withChallenge(ch.headerValue()))) {
      assertThat(c.status).isEqualTo(101);
      WsTestNodes.awaitPeers(server, 1);
      c.sendMessage("NI", client.verificationMessage(new byte[32]));
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPeers().isEmpty());
      assertThat(server.metrics().disconnectCount(DisconnectReason.BAD_IDENTITY_DATA)).isEqualTo(1);
    }
  }

  @Test
  void theDialerRefusesAServerWhoseIdentityResponseIsBad() throws Exception {
    try (FakeWsServer fake = new FakeWsServer(req -> serverHeaders(req, Map.of(HEADER, "Z2FyYmFnZQ==")))) {
      WsNetwork dialer = dialerTo(fake.port());
      await().atMost(Duration.ofSeconds(10)).until(() -> fake.upgrades.get() >= 1 && count(dialer, "gossipnet.ws.identity.errors") >= 1);
      assertThat(dialer.connectedPeers()).isEmpty();
    }
  }

  @Test
  void theDialerRefusesAResponseWithoutRandomIdOrWithAnotherGenesisOrVersion() throws Exception {
    for (Map<String, String> bad : List.of(
        Map.of("X-Algorand-NodeRandom", ""),
        Map.of("X-Algorand-Genesis", "other-net"),
        Map.of("X-Algorand-Version", "1.0", "X-Algorand-Accept-Version", "1.0"))) {
      try (FakeWsServer fake = new FakeWsServer(req -> serverHeaders(req, bad))) {
        WsNetwork dialer = dialerTo(fake.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.upgrades.get() >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> dialer.connectedPeers().isEmpty());
        dialer.stop();
      }
    }
  }

  @Test
  void aSecondConnectionBetweenTheSameNodesIsClosedAsDuplicate() {
    // s keeps one outgoing connection but knows no relay yet; a dials s.
    WsNetwork s = nodes.start(b -> b.gossipFanout(1));
    String sAddress = "http://127.0.0.1:" + s.localPort();
    // a answers identity challenges for two names, so s can reach it under a second address that
    // the mesh's "already connected" check does not recognise; only the identity shows the duplicate.
    NetworkConfig aConfig = WsTestNodes.listening().relayPeers(List.of(sAddress)).gossipFanout(1).build();
    String aPort = aConfig.listenAddress().substring(aConfig.listenAddress().lastIndexOf(':') + 1);
    WsNetwork a = nodes.start(new WsNetwork(aConfig, new WsTransport(WsConfig.defaults()), new SimpleMeterRegistry(),
        new Ed25519IdentityChallengeScheme(IdentityKeys.generate(), Set.of("http://127.0.0.1:" + aPort, "http://localhost:" + aPort)),
        IdentityTracker.create()));
    WsTestNodes.awaitPeers(s, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> s.connectedPeers().get(0).identityVerified());
    s.phonebook().addPersistentPeers(List.of("http://localhost:" + aPort), "test", Role.RELAY);
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      s.requestConnectOutgoing(false);
      return s.metrics().disconnectCount(DisconnectReason.DUPLICATE_CONNECTION) + a.metrics().disconnectCount(DisconnectReason.DUPLICATE_CONNECTION) >= 1;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> s.connectedPeers().size() == 1 && a.connectedPeers().size() == 1);
  }

  private Map<String, String> serverHeaders(Map<String, String> req, Map<String, String> overrides) {
    Map<String, String> h = new LinkedHashMap<>(RawWsClient.validHeaders(WsTestNodes.GENESIS));
    h.putAll(overrides);
    return h;
  }

  private WsNetwork dialerTo(int port) {
    return nodes.start(WsTestNodes.listening().relayPeers(List.of("127.0.0.1:" + port)).gossipFanout(1).meshInterval(Duration.ofMillis(300)).build());
  }
}
