package io.gossipnet.hybrid;

import static io.gossipnet.hybrid.HybridNodes.WAIT;
import static io.gossipnet.hybrid.HybridNodes.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.WsPeer;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.ws.WsNetwork;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hybrid nodes with real WS (Jetty) and P2P (libp2p) networks on loopback. */
class HybridNetworkTest {
  private final HybridNodes nodes = new HybridNodes();

  @AfterEach
  void stopAll() {
    nodes.close();
  }

  @Test
  void aVoteFromAP2pOnlyNodeReachesAWsOnlyNodeThroughAHybridRelayAndBack() {
    HybridNetwork relay = nodes.hybrid(HybridNodes.listening(List.of(), 0).build());
    List<IncomingMessage> atRelay = record(relay, Tags.AV, OutgoingMessage.broadcast());
    relay.start();
    P2PNetwork p2pOnly = nodes.p2pClient(List.of(relay.p2pAddress().orElseThrow()));
    WsNetwork wsOnly = nodes.wsClient(List.of(relay.address().orElseThrow()));
    List<IncomingMessage> atP2p = record(p2pOnly, Tags.AV, OutgoingMessage.ignore());
    List<IncomingMessage> atWs = record(wsOnly, Tags.AV, OutgoingMessage.ignore());
    p2pOnly.start();
    wsOnly.start();
    await().atMost(WAIT).until(() -> relay.ws().connectedPeers().size() == 1 && relay.p2p().connectedPeers().size() == 1
        && p2pOnly.connectedPeers().size() == 1 && wsOnly.connectedPeers().size() == 1);

    p2pOnly.broadcast(Tags.AV, new byte[] {1, 2, 3}, true, null);
    await().atMost(WAIT).until(() -> atWs.size() == 1);
    assertThat(atWs.get(0).data()).containsExactly(1, 2, 3);
    assertThat(atRelay.get(0).network()).as("handlers see the hybrid as their network").isSameAs(relay);

    wsOnly.broadcast(Tags.AV, new byte[] {4, 5}, true, null);
    await().atMost(WAIT).until(() -> atP2p.size() == 1);
    assertThat(atP2p.get(0).data()).containsExactly(4, 5);
    assertThat(atRelay).hasSize(2);
    assertThat(atWs).as("the sender is skipped").hasSize(1);
  }

  @Test
  void transactionsCrossBetweenGossipSubAndWebSocketThroughAHybridRelay() {
    HybridNetwork relay = nodes.hybrid(HybridNodes.listening(List.of(), 0).build());
    AtomicInteger handledAtRelay = new AtomicInteger();
    relay.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
      handledAtRelay.incrementAndGet();
      return OutgoingMessage.broadcast();
    })));
    relay.start();
    P2PNetwork p2pOnly = nodes.p2pClient(List.of(relay.p2pAddress().orElseThrow()));
    WsNetwork wsOnly = nodes.wsClient(List.of(relay.address().orElseThrow()));
    List<IncomingMessage> atP2p = record(p2pOnly, Tags.TX, OutgoingMessage.broadcast());
    List<IncomingMessage> atWs = record(wsOnly, Tags.TX, OutgoingMessage.ignore());
    p2pOnly.start();
    wsOnly.start();
    await().atMost(WAIT).until(() -> wsOnly.connectedPeers().size() == 1
        && relay.p2p().gossipSub().orElseThrow().topicPeers(io.gossipnet.p2p.GossipSubDerivation.TX_TOPIC).contains(p2pOnly.peerId()));

    // P2P → WS: accepted by the relay's TX handler on GossipSub, then bridged to its WS peers.
    await().atMost(WAIT).untilAsserted(() -> {
      p2pOnly.broadcast(Tags.TX, "tx-from-p2p".getBytes(StandardCharsets.UTF_8), false, null);
      await().atMost(Duration.ofSeconds(2)).until(() -> !atWs.isEmpty());
    });
    assertThat(new String(atWs.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("tx-from-p2p");

    // WS → P2P: the relay's handler re-broadcasts through the hybrid, which publishes on GossipSub.
    wsOnly.broadcast(Tags.TX, "tx-from-ws".getBytes(StandardCharsets.UTF_8), true, null);
    await().atMost(WAIT).until(() -> atP2p.stream().anyMatch(m -> new String(m.data(), StandardCharsets.UTF_8).equals("tx-from-ws")));
  }

  @Test
  void aHybridPairReachedOverBothTransportsHoldsExactlyOneConnection() {
    PrivateKey keyA = PrivateKey.generate();
    PrivateKey keyB = PrivateKey.generate();
    HybridConfig.Builder a = HybridNodes.listening(List.of(), 2).p2p(P2PConfig.builder().privateKey(keyA).build());
    HybridConfig.Builder b = HybridNodes.listening(List.of(), 2).p2p(P2PConfig.builder().privateKey(keyB).build());
    HybridConfig ca = a.build();
    HybridConfig cb = b.build();
    // Each lists the other under both transports, and each runs both meshes: every pair of dials happens.
    HybridNetwork nodeA = nodes.hybrid(withPeers(ca, cb, keyB));
    HybridNetwork nodeB = nodes.hybrid(withPeers(cb, ca, keyA));
    nodeA.start();
    nodeB.start();
    await().atMost(WAIT).until(() -> nodeA.connectedPeers().size() == 1 && nodeB.connectedPeers().size() == 1);
    nodeA.requestConnectOutgoing(true);
    nodeB.requestConnectOutgoing(true);
    await().atMost(WAIT).during(Duration.ofSeconds(2))
        .until(() -> nodeA.connectedPeers().size() == 1 && nodeB.connectedPeers().size() == 1);
    // Further mesh passes do not dial the other network again: the address names a connected key.
    double duplicates = duplicates(nodeA) + duplicates(nodeB);
    for (int i = 0; i < 3; i++) {
      nodeA.requestConnectOutgoing(true);
      nodeB.requestConnectOutgoing(true);
    }
    assertThat(duplicates(nodeA) + duplicates(nodeB)).as("no new duplicate connections").isEqualTo(duplicates);
    assertThat(nodeA.connectedPeers()).hasSize(1);
    WsPeer seenByA = nodeA.connectedPeers().get(0);
    WsPeer seenByB = nodeB.connectedPeers().get(0);
    assertThat(seenByA.networkType()).as("both ends keep the same connection").isEqualTo(seenByB.networkType());
    assertThat(seenByA.outgoing()).isNotEqualTo(seenByB.outgoing());
    assertThat(seenByA.identityKey()).isEqualTo(keyB.publicKey().data());
    assertThat(seenByB.identityKey()).isEqualTo(keyA.publicKey().data());
  }

  @Test
  void aP2pStreamClosedAsADuplicateLeavesItsLibp2pConnectionForHttp() throws Exception {
    HybridNetwork relay = nodes.hybrid(HybridNodes.listening(List.of(), 0).build());
    relay.registerHttpHandler("/v1/{genesisID}/who", req -> HttpResponse.text(200, "relay"));
    relay.start();
    String p2pAddress = relay.p2pAddress().orElseThrow();
    HybridNetwork client = nodes.hybrid(HybridConfig.builder(io.gossipnet.core.NetworkConfig.builder(HybridNodes.GENESIS)
        .relayPeers(List.of(relay.address().orElseThrow(), p2pAddress)).gossipFanout(2).build()).build());
    client.start();
    // The client reaches the relay over both networks; the WS connection stays, the P2P stream goes.
    await().atMost(WAIT).until(() -> duplicates(client) + duplicates(relay) >= 1
        && client.connectedPeers().size() == 1 && relay.connectedPeers().size() == 1);
    assertThat(client.connectedPeers().get(0).networkType()).isEqualTo("ws");
    var host = client.p2p().transport().host().orElseThrow();
    var relayId = relay.p2p().peerId();
    await().atMost(WAIT).until(() -> host.connections(relayId).stream().anyMatch(io.gossipnet.libp2p.Connection::isOpen));
    var connection = host.connections(relayId).get(0);

    // HTTP over P2P runs on that connection, and no request dials one of its own.
    String path = "/v1/" + HybridNodes.GENESIS + "/who";
    for (int i = 0; i < 20; i++) {
      assertThat(client.httpClient(p2pAddress).send(HttpRequest.get(path)).bodyText()).isEqualTo("relay");
    }
    assertThat(connection.isOpen()).as("the connection of the closed duplicate stream").isTrue();
    assertThat(host.connections(relayId)).containsExactly(connection);
    assertThat(client.connectedPeers()).hasSize(1);
  }

  @Test
  void aP2pPeerWhoseStreamEndedOnAnOpenConnectionIsDialedAfreshWhenTheMeshNeedsIt() {
    // The client's peer ID sorts higher, so the relay is the one that opens gossip streams, and it
    // does so only when a connection is made.
    PrivateKey one = PrivateKey.generate();
    PrivateKey two = PrivateKey.generate();
    boolean oneHigher = one.peerId().compareTo(two.peerId()) > 0;
    PrivateKey clientKey = oneHigher ? one : two;
    PrivateKey relayKey = oneHigher ? two : one;
    HybridNetwork relay = nodes.hybrid(HybridNodes.listening(List.of(), 0).p2p(P2PConfig.builder().privateKey(relayKey).build()).build());
    relay.start();
    HybridNetwork client = nodes.hybrid(HybridConfig.builder(io.gossipnet.core.NetworkConfig.builder(HybridNodes.GENESIS)
        .relayPeers(List.of(relay.address().orElseThrow(), relay.p2pAddress().orElseThrow())).gossipFanout(2).build())
        .p2p(P2PConfig.builder().privateKey(clientKey).build()).build());
    client.start();
    await().atMost(WAIT).until(() -> duplicates(client) + duplicates(relay) >= 1
        && client.connectedPeers().size() == 1 && client.connectedPeers().get(0).networkType().equals("ws"));
    var host = client.p2p().transport().host().orElseThrow();
    await().atMost(WAIT).until(() -> !host.connections(relay.p2p().peerId()).isEmpty());
    var streamless = host.connections(relay.p2p().peerId()).get(0);

    // Without the WS connection the P2P mesh needs the relay: the connection left over from the
    // duplicate would never get a stream, so the client dials a new one and the relay opens it.
    relay.ws().stop();
    await().atMost(WAIT).until(() -> client.ws().connectedPeers().isEmpty());
    await().atMost(WAIT).until(() -> {
      client.requestConnectOutgoing(true);
      return client.p2p().connectedPeers().size() == 1;
    });
    assertThat(streamless.isOpen()).as("the connection whose stream ended was replaced").isFalse();
    assertThat(client.connectedPeers()).singleElement().satisfies(p -> assertThat(p.networkType()).isEqualTo("p2p"));
  }

  private static double duplicates(HybridNetwork node) {
    return node.ws().metrics().identityDuplicate.count() + node.p2p().metrics().identityDuplicate.count();
  }

  @Test
  void aBroadcastThatWaitsDoesNotWaitOnANetworkWithoutPeers() {
    HybridNetwork relay = nodes.hybrid(HybridNodes.listening(List.of(), 0).build());
    relay.start();
    WsNetwork wsOnly = nodes.wsClient(List.of(relay.address().orElseThrow()));
    List<IncomingMessage> atWs = record(wsOnly, Tags.AV, OutgoingMessage.ignore());
    wsOnly.start();
    await().atMost(WAIT).until(() -> relay.ws().connectedPeers().size() == 1);
    assertThat(relay.p2p().connectedPeers()).isEmpty();
    // The P2P broadcaster would hold the message until a peer comes or it is 25 s old.
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> relay.broadcast(Tags.AV, new byte[] {3}, true, null));
    await().atMost(WAIT).until(() -> atWs.size() == 1);
  }

  @Test
  void aFullQueueOnANetworkWithoutPeersDoesNotFailABroadcastTheOtherNetworkCarries() {
    HybridConfig base = HybridNodes.listening(List.of(), 0).build();
    HybridNetwork relay = nodes.hybrid(HybridConfig.builder(
            base.network().toBuilder().broadcastQueueBulkSize(4).broadcastQueueHighPrioritySize(4).build())
        .p2pListenAddress(base.p2pListenAddress()).build());
    relay.start();
    WsNetwork wsOnly = nodes.wsClient(List.of(relay.address().orElseThrow()));
    List<IncomingMessage> atWs = record(wsOnly, Tags.AV, OutgoingMessage.ignore());
    wsOnly.start();
    await().atMost(WAIT).until(() -> relay.ws().connectedPeers().size() == 1);
    assertThat(relay.p2p().connectedPeers()).isEmpty();

    // The P2P broadcaster holds what it is given while it has no peer: its queue of 4 fills.
    for (int i = 0; i < 20; i++) {
      relay.broadcast(Tags.AV, new byte[] {(byte) i}, false, null);
      int sent = i + 1;
      await().atMost(WAIT).until(() -> atWs.size() == sent);
    }
    assertThat(relay.p2p().metrics().broadcastQueueFull.count()).as("refusals on the network without peers, counted").isPositive();
    assertThat(relay.ws().metrics().broadcastQueueFull.count()).isZero();
  }

  private static HybridConfig withPeers(HybridConfig self, HybridConfig other, PrivateKey otherKey) {
    List<String> peers = List.of(other.network().listenAddress(),
        "/ip4/127.0.0.1/tcp/" + other.p2pListenAddress().split(":")[1] + "/p2p/" + otherKey.peerId().toBase58());
    return new HybridConfig(self.network().toBuilder().relayPeers(peers).build(), self.ws(), self.p2p(),
        self.p2pListenAddress(), self.p2pIncomingConnectionsLimit(), HybridConfig.MeshMode.PER_NETWORK).validate();
  }

  @Test
  void theRelayMeshPrefersWebSocketAndFillsTheFanoutOverP2p() {
    WsNetwork wsRelay = nodes.wsRelay(List.of(), 0);
    wsRelay.start();
    P2PNetwork p2pRelay1 = nodes.p2pRelay(List.of(), 0);
    P2PNetwork p2pRelay2 = nodes.p2pRelay(List.of(), 0);
    p2pRelay1.start();
    p2pRelay2.start();
    String ws = "127.0.0.1:" + wsRelay.localPort();
    HybridNetwork hybrid = nodes.hybrid(HybridNodes.listening(
        List.of(ws, p2pRelay1.address().orElseThrow(), p2pRelay2.address().orElseThrow()), 2).build());
    assertThat(hybrid.config().hybridRelayMesh()).isTrue();
    hybrid.start();
    await().atMost(WAIT).until(() -> hybrid.getPeers(PeerOption.CONNECTED_OUT).size() == 2);
    hybrid.requestConnectOutgoing(true);
    assertThat(hybrid.ws().getPeers(PeerOption.CONNECTED_OUT)).as("WS first").hasSize(1);
    assertThat(hybrid.p2p().getPeers(PeerOption.CONNECTED_OUT)).as("P2P fills the rest of the fanout").hasSize(1);
    await().atMost(WAIT).until(() -> hybrid.ready().toCompletableFuture().isDone());
  }

  @Test
  void aClientRunsBothMeshesEachTowardTheFanout() {
    WsNetwork wsRelay = nodes.wsRelay(List.of(), 0);
    P2PNetwork p2pRelay = nodes.p2pRelay(List.of(), 0);
    wsRelay.start();
    p2pRelay.start();
    HybridNetwork client = nodes.hybrid(HybridConfig.builder(io.gossipnet.core.NetworkConfig.builder(HybridNodes.GENESIS)
        .relayPeers(List.of("127.0.0.1:" + wsRelay.localPort(), p2pRelay.address().orElseThrow())).gossipFanout(1).build()).build());
    assertThat(client.config().hybridRelayMesh()).isFalse();
    client.start();
    await().atMost(WAIT).until(() -> client.ws().connectedPeers().size() == 1 && client.p2p().connectedPeers().size() == 1);
    assertThat(client.address()).isEmpty();
    assertThat(client.p2pAddress()).isEmpty();
  }

  @Test
  void peersAreListedP2pFirstAndDisconnectAndHttpClientsAreRoutedByNetwork() throws Exception {
    HybridNetwork relay = nodes.hybrid(HybridNodes.listening(List.of(), 0).build());
    relay.registerHttpHandler("/v1/{genesisID}/echo/{word}", req -> HttpResponse.text(200, "echo " + req.pathVariables().get("word")));
    relay.start();
    P2PNetwork p2pOnly = nodes.p2pClient(List.of(relay.p2pAddress().orElseThrow()));
    WsNetwork wsOnly = nodes.wsClient(List.of(relay.address().orElseThrow()));
    p2pOnly.start();
    wsOnly.start();
    await().atMost(WAIT).until(() -> relay.getPeers(PeerOption.CONNECTED_IN).size() == 2);

    List<Peer> in = relay.getPeers(PeerOption.CONNECTED_IN);
    assertThat(((WsPeer) in.get(0)).networkType()).isEqualTo("p2p");
    assertThat(((WsPeer) in.get(1)).networkType()).isEqualTo("ws");
    assertThat(relay.getPeers(PeerOption.CONNECTED_OUT, PeerOption.CONNECTED_IN)).containsExactlyElementsOf(in);

    // One handler, registered once, served over both transports with the same path variables.
    String path = "/v1/" + HybridNodes.GENESIS + "/echo/hello";
    HttpResponse overP2p = p2pOnly.httpClient(relay.p2pAddress().orElseThrow()).send(HttpRequest.get(path));
    assertThat(overP2p.status()).isEqualTo(200);
    assertThat(new String(overP2p.body(), StandardCharsets.UTF_8)).isEqualTo("echo hello");
    HttpResponse overWs = wsOnly.httpClient(relay.address().orElseThrow()).send(HttpRequest.get(path));
    assertThat(new String(overWs.body(), StandardCharsets.UTF_8)).isEqualTo("echo hello");
    try (HttpClient plain = HttpClient.newHttpClient()) {
      var r = plain.send(java.net.http.HttpRequest.newBuilder(URI.create(relay.address().orElseThrow() + path)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("echo hello");
    }
    // The hybrid's own client picks the transport from the address: libp2p HTTP for a multiaddr.
    P2PNetwork p2pServer = nodes.p2pRelay(List.of(), 0);
    p2pServer.registerHttpHandler("/hello", req -> HttpResponse.text(200, "from p2p"));
    p2pServer.start();
    assertThat(relay.httpClient(p2pServer.address().orElseThrow()).send(HttpRequest.get("/hello")).bodyText()).isEqualTo("from p2p");
    assertThat(relay.httpClient(relay.address().orElseThrow()).send(HttpRequest.get(path)).bodyText()).isEqualTo("echo hello");

    relay.disconnect(in.get(0));
    await().atMost(WAIT).until(() -> relay.p2p().connectedPeers().isEmpty());
    assertThat(relay.ws().connectedPeers()).hasSize(1);
    relay.disconnect(in.get(1));
    await().atMost(WAIT).until(() -> relay.ws().connectedPeers().isEmpty());
  }

  @Test
  void handlersAndValidatorsAreRegisteredOnceForBothNetworks() {
    HybridNetwork node = nodes.hybrid(HybridNodes.listening(List.of(), 0).build());
    node.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> OutgoingMessage.ignore())));
    assertThat(node.ws().multiplexer()).isSameAs(node.p2p().multiplexer());
    assertThat(node.ws().multiplexer().hasHandler(Tags.AV.code())).isTrue();
    assertThatThrownBy(() -> node.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> OutgoingMessage.ignore()))))
        .isInstanceOf(IllegalStateException.class);
    node.clearHandlers();
    assertThat(node.p2p().multiplexer().hasHandler(Tags.AV.code())).isFalse();
    assertThat(node.ws().httpRouter()).isSameAs(node.p2p().httpRouter());
  }

  @Test
  void theWsIdentityIsTheLibp2pKey() {
    PrivateKey key = PrivateKey.generate();
    HybridNetwork node = nodes.hybrid(HybridNodes.listening(List.of(), 0).p2p(P2PConfig.builder().privateKey(key).build()).build());
    assertThat(node.ws().selfKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(key.publicKey().data()));
    assertThat(node.p2p().selfKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(key.publicKey().data()));
  }

  @Test
  void aFailedStartStopsBothNetworksAndStopIsIdempotent() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      HybridNetwork node = nodes.hybrid(HybridConfig.builder(io.gossipnet.core.NetworkConfig.builder(HybridNodes.GENESIS)
              .listenAddress("127.0.0.1:" + port).publicAddress("http://127.0.0.1:" + port).build())
          .p2pListenAddress("127.0.0.1:" + io.gossipnet.testkit.FreePorts.loopback()).build());
      assertThatThrownBy(node::start).isInstanceOf(GossipException.class);
      int p2pPort = Integer.parseInt(node.config().p2pListenAddress().split(":")[1]);
      await().atMost(WAIT).untilAsserted(() -> {
        try (var free = new java.net.ServerSocket(p2pPort, 1, java.net.InetAddress.getLoopbackAddress())) {
          assertThat(free.getLocalPort()).as("the P2P side was stopped and its port released").isEqualTo(p2pPort);
        }
      });
      node.stop();
      assertThatThrownBy(() -> node.broadcast(Tags.AV, new byte[1], false, null)).isInstanceOf(GossipException.Closed.class);
    }
  }
}
