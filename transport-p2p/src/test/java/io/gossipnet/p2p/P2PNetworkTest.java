package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Two P2PNetwork nodes on loopback: the gossip stream, its opener, identity and HTTP over libp2p. */
class P2PNetworkTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String GENESIS = "p2p-test-v1";
  private final List<P2PNetwork> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(P2PNetwork::stop);
  }

  private P2PNetwork start(PrivateKey key, NetworkConfig.Builder config) {
    P2PNetwork n = new P2PNetwork(config.build(), P2PConfig.builder().privateKey(key).build(), new SimpleMeterRegistry());
    nodes.add(n);
    n.start();
    return n;
  }

  private static NetworkConfig.Builder listening() {
    return NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(1);
  }

  private static List<IncomingMessage> record(P2PNetwork n) {
    List<IncomingMessage> got = new CopyOnWriteArrayList<>();
    n.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> {
      got.add(m);
      return OutgoingMessage.ignore();
    })));
    return got;
  }

  /** Two keys whose peer IDs sort as asked: the first lower than the second when {@code lowerFirst}. */
  private static PrivateKey[] keys(boolean lowerFirst) {
    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    boolean aLower = a.publicKey().toPeerId().compareTo(b.publicKey().toPeerId()) < 0;
    return aLower == lowerFirst ? new PrivateKey[] {a, b} : new PrivateKey[] {b, a};
  }

  @ParameterizedTest(name = "the dialer's ID sorts lower: {0}")
  @ValueSource(booleans = {true, false})
  void aDialedRelayBecomesOnePeerOnEachSideWhoeverOpensTheStream(boolean dialerLower) throws Exception {
    PrivateKey[] k = keys(dialerLower);
    P2PNetwork relay = start(k[1], listening());
    String relayAddr = relay.address().orElseThrow();
    assertThat(relayAddr).contains("/p2p/" + relay.peerId().toBase58());
    P2PNetwork dialer = start(k[0], NetworkConfig.builder(GENESIS).relayPeers(List.of(relayAddr)).gossipFanout(1));
    List<IncomingMessage> atRelay = record(relay);
    List<IncomingMessage> atDialer = record(dialer);

    await().atMost(WAIT).until(() -> relay.connectedPeers().size() == 1 && dialer.connectedPeers().size() == 1);
    var seenByDialer = dialer.connectedPeers().get(0);
    assertThat(seenByDialer.outgoing()).isTrue();
    assertThat(relay.connectedPeers().get(0).outgoing()).isFalse();
    assertThat(seenByDialer.stableId()).isEqualTo(relay.peerId().toBase58());
    assertThat(seenByDialer.identityVerified()).isTrue();

    dialer.broadcast(Tags.AV, new byte[] {1, 2, 3}, true, null);
    relay.broadcast(Tags.AV, new byte[] {4, 5}, true, null);
    await().atMost(WAIT).until(() -> atRelay.size() == 1 && atDialer.size() == 1);
    assertThat(atRelay.get(0).data()).containsExactly(1, 2, 3);
    assertThat(atDialer.get(0).data()).containsExactly(4, 5);
    assertThat(dialer.connectedPeers()).hasSize(1);
  }

  @Test
  void onlyANodeThatWantsTxGossipSubscribesToTheTxTopic() throws Exception {
    P2PNetwork relay = start(PrivateKey.generate(), listening());
    P2PNetwork client = start(PrivateKey.generate(), NetworkConfig.builder(GENESIS).relayPeers(List.of(relay.address().orElseThrow())).gossipFanout(1));
    assertThat(relay.txSubscribed()).as("a relay").isTrue();
    assertThat(client.txSubscribed()).as("neither relaying nor participating").isFalse();
    java.util.concurrent.atomic.AtomicBoolean participating = new java.util.concurrent.atomic.AtomicBoolean(true);
    client.setParticipating(participating::get);
    client.onNetworkAdvance();
    assertThat(client.txSubscribed()).isTrue();
    await().atMost(WAIT).until(() -> relay.gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).contains(client.peerId()));
    participating.set(false);
    client.onNetworkAdvance();
    assertThat(client.txSubscribed()).isFalse();
    await().atMost(WAIT).until(() -> !relay.gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).contains(client.peerId()));
  }

  @Test
  void transactionsGoOverGossipSubBothWaysAndARejectedOneIsNotDelivered() throws Exception {
    P2PNetwork relay = start(PrivateKey.generate(), listening());
    P2PNetwork dialer = new P2PNetwork(NetworkConfig.builder(GENESIS).relayPeers(List.of(relay.address().orElseThrow())).gossipFanout(1).build(),
        P2PConfig.builder().forceFetchTransactions(true).build(), new SimpleMeterRegistry());
    nodes.add(dialer);
    dialer.start();
    List<IncomingMessage> atRelay = new CopyOnWriteArrayList<>();
    List<IncomingMessage> atDialer = new CopyOnWriteArrayList<>();
    relay.registerValidators(List.of(new io.gossipnet.core.TaggedValidator(Tags.TX, m -> {
      atRelay.add(m);
      return m.data()[0] == 0 ? OutgoingMessage.disconnect(io.gossipnet.core.DisconnectReason.BAD_DATA) : OutgoingMessage.accept();
    })));
    dialer.registerValidators(List.of(new io.gossipnet.core.TaggedValidator(Tags.TX, m -> {
      atDialer.add(m);
      return OutgoingMessage.accept();
    })));
    await().atMost(WAIT).until(() -> relay.gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).contains(dialer.peerId())
        && dialer.gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).contains(relay.peerId()));

    dialer.broadcast(Tags.TX, new byte[] {1, 1}, true, null);
    relay.broadcast(Tags.TX, new byte[] {2, 2}, true, null);
    await().atMost(WAIT).until(() -> atRelay.size() == 1 && atDialer.size() == 1);
    assertThat(atRelay.get(0).data()).containsExactly(1, 1);
    assertThat(atRelay.get(0).network()).isSameAs(relay);
    assertThat(atDialer.get(0).data()).containsExactly(2, 2);

    dialer.broadcast(Tags.TX, new byte[] {0, 9}, true, null);
    await().atMost(WAIT).until(() -> atRelay.size() == 2);
    await().atMost(WAIT).until(() -> relay.gossipSub().orElseThrow().score(dialer.peerId()) < 0);
    assertThat(atDialer).hasSize(1);
  }

  @Test
  void aTxTheRelayAcceptsIsForwardedAndOneItRejectsIsNot() throws Exception {
    P2PNetwork relay = start(PrivateKey.generate(), listening().gossipFanout(2));
    List<IncomingMessage> atThird = new CopyOnWriteArrayList<>();
    relay.registerValidators(List.of(new io.gossipnet.core.TaggedValidator(Tags.TX,
        m -> m.data()[0] == 0 ? OutgoingMessage.disconnect(io.gossipnet.core.DisconnectReason.BAD_DATA) : OutgoingMessage.accept())));
    P2PNetwork[] leaves = new P2PNetwork[2];
    for (int i = 0; i < 2; i++) {
      leaves[i] = new P2PNetwork(NetworkConfig.builder(GENESIS).relayPeers(List.of(relay.address().orElseThrow())).gossipFanout(1).build(),
          P2PConfig.builder().forceFetchTransactions(true).build(), new SimpleMeterRegistry());
      nodes.add(leaves[i]);
    }
    leaves[1].registerValidators(List.of(new io.gossipnet.core.TaggedValidator(Tags.TX, m -> {
      atThird.add(m);
      return OutgoingMessage.accept();
    })));
    for (P2PNetwork leaf : leaves) {
      leaf.start();
    }
    await().atMost(WAIT).until(() -> relay.gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).size() == 2
        && leaves[0].gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).contains(relay.peerId())
        && leaves[1].gossipSub().orElseThrow().topicPeers(GossipSubDerivation.TX_TOPIC).contains(relay.peerId()));

    // The two leaves know only the relay: what the third one gets, the relay forwarded.
    leaves[0].broadcast(Tags.TX, new byte[] {0, 7}, true, null);
    leaves[0].broadcast(Tags.TX, new byte[] {5, 5}, true, null);
    await().atMost(WAIT).until(() -> atThird.stream().anyMatch(m -> m.data()[0] == 5));
    assertThat(atThird).noneMatch(m -> m.data()[0] == 0);
  }

  @Test
  void handlersRegisteredOnTheNodeAreServedOverLibp2pHttp() throws Exception {
    P2PNetwork server = start(PrivateKey.generate(), listening());
    server.registerHttpHandler("/v1/{genesisID}/block/{round}", Set.of("GET"),
        req -> HttpResponse.text(200, "block " + req.pathVariables().get("round") + " " + req.query()));
    P2PNetwork client = start(PrivateKey.generate(), NetworkConfig.builder(GENESIS).gossipFanout(0));
    var http = client.httpClient(server.address().orElseThrow());
    HttpResponse ok = http.send(new HttpRequest("GET", "/v1/" + GENESIS + "/block/7", "x=1", Map.of(), Map.of(), new byte[0]));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.bodyText()).isEqualTo("block 7 x=1");
    assertThat(http.send(HttpRequest.get("/v1/other/block/7")).status()).isEqualTo(404);
    HttpResponse post = http.send(new HttpRequest("POST", "/v1/" + GENESIS + "/block/7", "", Map.of(), Map.of(), new byte[] {1}));
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("allow")).isEqualTo("GET");
  }

  @Test
  void aPathWithPercentEscapesReachesTheRouteDecodedAsOverWsAndABadEscapeIsRefused() throws Exception {
    P2PNetwork server = start(PrivateKey.generate(), listening());
    server.registerHttpHandler("/v1/{genesisID}/kv/{key}", Set.of("GET"), req -> HttpResponse.text(200, req.pathVariables().get("key")));
    P2PNetwork client = start(PrivateKey.generate(), NetworkConfig.builder(GENESIS).gossipFanout(0));
    var http = client.httpClient(server.address().orElseThrow());
    assertThat(http.send(HttpRequest.get("/v1/" + GENESIS + "/kv/caf%C3%A9%20au%20lait")).bodyText()).isEqualTo("café au lait");
    assertThat(http.send(HttpRequest.get("/v1/" + GENESIS + "/kv/plain")).bodyText()).isEqualTo("plain");
    assertThat(http.send(HttpRequest.get("/v1/" + GENESIS + "/kv/bad%zz")).status()).isEqualTo(400);
    assertThat(http.send(HttpRequest.get("/v1/" + GENESIS + "/kv/a%2Fb")).status()).as("an escaped separator").isEqualTo(400);
    assertThat(http.send(HttpRequest.get("/v1/" + GENESIS + "/kv/%FF")).status()).as("not UTF-8").isEqualTo(400);
  }

  @Test
  void peerHttpRequestsAreRateLimitedPerPeerIdWhateverAddressNamesThePeer() throws Exception {
    P2PNetwork server = start(PrivateKey.generate(), listening().gossipFanout(0));
    server.registerHttpHandler("/ping", java.util.Set.of("GET"), req -> HttpResponse.text(200, "pong"));
    String listed = server.address().orElseThrow();
    // The same peer at the same port, written with a DNS name: not the phonebook's entry.
    String other = listed.replace("/ip4/127.0.0.1/", "/dns4/localhost/");
    P2PNetwork client = start(PrivateKey.generate(), NetworkConfig.builder(GENESIS).gossipFanout(0).relayPeers(List.of(listed))
        .connectionsRateLimitingCount(1).connectionsRateLimitingWindow(Duration.ofSeconds(60)));

    assertThat(client.httpClient(other).send(HttpRequest.get("/ping")).bodyText()).isEqualTo("pong");
    // One request per 60 s for this peer: the next one, through its listed address, would wait
    // beyond the 10 s queueing timeout, so it is refused at once.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.httpClient(listed).send(HttpRequest.get("/ping")))
        .isInstanceOf(io.gossipnet.core.http.PeerHttpClient.RateLimitedException.class);
  }
}
