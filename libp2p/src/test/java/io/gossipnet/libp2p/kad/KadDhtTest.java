package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DHT behaviour between Java nodes, and against hand-written requests. */
class KadDhtTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private JsInteropKadTest.KadNode node(KadConfig config) throws Exception {
    JsInteropKadTest.KadNode n = new JsInteropKadTest.KadNode(config);
    closeables.add(n);
    return n;
  }

  /** A chain of nodes, each bootstrapped from the previous one. */
  private List<JsInteropKadTest.KadNode> chain(int n) throws Exception {
    return chain(n, 0);
  }

  /** A chain of nodes with {@code d} disjoint lookup paths. */
  private List<JsInteropKadTest.KadNode> chain(int n, int d) throws Exception {
    List<JsInteropKadTest.KadNode> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      KadConfig c = KadConfig.defaults().withDisjointPaths(d);
      if (i > 0) {
        c = c.withBootstrap(List.of(nodes.get(i - 1).address()));
      }
      nodes.add(node(c));
    }
    return nodes;
  }

  @ParameterizedTest(name = "disjointPaths = {0}")
  @ValueSource(ints = {0, 1, 2, 3})
  void aProviderIsFoundAcrossAChainOfNodes(int d) throws Exception {
    List<JsInteropKadTest.KadNode> nodes = chain(6, d);
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.dht.routingTableSize() >= 1));
    byte[] key = Capabilities.capabilityKey("archival");
    assertThat(nodes.get(0).dht.provide(key)).isPositive();
    List<KadPeer> found = nodes.get(5).dht.findProviders(key, 1);
    assertThat(found).extracting(KadPeer::id).containsExactly(nodes.get(0).host.peerId());
    assertThat(nodes.get(5).dht.metric("query.paths." + Math.max(1, d))).isPositive();
  }

  @ParameterizedTest(name = "disjointPaths = {0}")
  @ValueSource(ints = {0, 1, 2})
  void findPeerWalksTheNetwork(int d) throws Exception {
    List<JsInteropKadTest.KadNode> nodes = chain(5, d);
    // Each link of the chain known from both ends: node i+1 bootstrapped to node i, and node i adds
    // it when it hears from it, which can come after node i+1 already counts node i.
    await().atMost(WAIT).until(() -> java.util.stream.IntStream.range(0, 4).allMatch(i ->
        nodes.get(i).dht.inRoutingTable(nodes.get(i + 1).host.peerId()) && nodes.get(i + 1).dht.inRoutingTable(nodes.get(i).host.peerId())));
    PeerId last = nodes.get(4).host.peerId();
    KadPeer p = nodes.get(0).dht.findPeer(last).orElseThrow();
    assertThat(p.addresses()).contains(nodes.get(4).host.listenAddresses().get(0));
  }

  @Test
  void capabilitiesAreAdvertisedAndFoundExcludingSelf() throws Exception {
    List<JsInteropKadTest.KadNode> nodes = chain(3);
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.dht.routingTableSize() >= 1));
    Capabilities c0 = new Capabilities(nodes.get(0).dht, nodes.get(0).host.peerId());
    Capabilities c2 = new Capabilities(nodes.get(2).dht, nodes.get(2).host.peerId());
    closeables.add(c0);
    closeables.add(c2);
    c0.advertise("gossip");
    c2.advertise("gossip");
    await().atMost(WAIT).until(() -> c0.advertised().containsKey("gossip") && c2.advertised().containsKey("gossip"));
    Capabilities c1 = new Capabilities(nodes.get(1).dht, nodes.get(1).host.peerId());
    closeables.add(c1);
    assertThat(c1.peersForCapability("gossip", 5)).extracting(KadPeer::id)
        .containsExactlyInAnyOrder(nodes.get(0).host.peerId(), nodes.get(2).host.peerId());
    assertThat(c0.peersForCapability("gossip", 5)).extracting(KadPeer::id)
        .containsExactly(nodes.get(2).host.peerId());
    assertThat(c1.peersForCapability("archival", 5)).isEmpty();
  }

  @Test
  void advertisingWithoutPeersIsRetriedUntilAPeerAppears() throws Exception {
    JsInteropKadTest.KadNode a = node(KadConfig.defaults());
    Capabilities caps = new Capabilities(a.dht, a.host.peerId(), Duration.ofHours(22), Duration.ofMillis(100),
        Duration.ofMillis(300), Duration.ofSeconds(5));
    closeables.add(caps);
    caps.advertise("catchpointStoring");
    // rounds without peers fail and are retried
    await().atMost(WAIT).until(() -> a.dht.metric("provide") >= 3);
    assertThat(caps.advertised()).isEmpty();
    JsInteropKadTest.KadNode b = node(KadConfig.defaults().withBootstrap(List.of(a.address())));
    await().atMost(WAIT).until(() -> caps.advertised().getOrDefault("catchpointStoring", 0) == 1);
    assertThat(b.dht.findProviders(Capabilities.capabilityKey("catchpointStoring"), 1)).extracting(KadPeer::id)
        .containsExactly(a.host.peerId());
  }

  @Test
  void providerRecordsExpire() throws Exception {
    JsInteropKadTest.KadNode a = node(KadConfig.defaults().withProviderTtl(Duration.ofMillis(300)));
    JsInteropKadTest.KadNode b = node(KadConfig.defaults().withBootstrap(List.of(a.address())));
    await().atMost(WAIT).until(() -> a.dht.routingTableSize() == 1 && b.dht.routingTableSize() == 1);
    byte[] key = Capabilities.capabilityKey("short-lived");
    b.dht.provide(key);
    await().atMost(WAIT).until(() -> a.dht.metric("provider.added") == 1);
    assertThat(a.dht.findProviders(key, 1)).extracting(KadPeer::id).containsExactly(b.host.peerId());
    b.close(); // b would answer with its own record
    await().atMost(WAIT).until(() -> a.dht.findProviders(key, 1).isEmpty());
  }

  @Test
  void aCustomProtocolIdSeparatesNetworks() throws Exception {
    JsInteropKadTest.KadNode a = node(KadConfig.defaults().withProtocolId("/algorand/kad/testnet"));
    JsInteropKadTest.KadNode b = node(KadConfig.defaults().withProtocolId("/algorand/kad/mainnet")
        .withBootstrap(List.of(a.address())));
    JsInteropKadTest.KadNode c = node(KadConfig.defaults().withProtocolId("/algorand/kad/testnet")
        .withBootstrap(List.of(a.address())));
    await().atMost(WAIT).until(() -> c.dht.routingTableSize() == 1 && a.dht.routingTableSize() == 1);
    assertThat(b.dht.routingTableSize()).isZero();
    assertThat(a.host.protocols()).contains("/algorand/kad/testnet");
  }

  @Test
  void aClientQueriesButIsNeitherServedNorAdmitted() throws Exception {
    JsInteropKadTest.KadNode server = node(KadConfig.defaults());
    JsInteropKadTest.KadNode client = node(KadConfig.defaults().withServerMode(false)
        .withBootstrap(List.of(server.address())));
    await().atMost(WAIT).until(() -> client.dht.inRoutingTable(server.host.peerId())
        && server.dht.metric("table.not_serving") == 1);
    assertThat(client.host.protocols()).doesNotContain(KadConfig.DEFAULT_PROTOCOL);
    assertThat(server.host.protocols()).contains(KadConfig.DEFAULT_PROTOCOL);
    assertThat(server.dht.routingTableSize()).isZero();
    byte[] key = Capabilities.capabilityKey("served");
    assertThat(server.dht.provide(key)).isZero(); // nobody to announce to: the client is not in its table
    assertThat(client.dht.findProviders(key, 1)).extracting(KadPeer::id).containsExactly(server.host.peerId());
  }

  // ---------------------------------------------------------------- bad input

  private static void send(Stream s, byte[] body) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Varint.write(b, body.length);
    b.writeBytes(body);
    s.out().write(b.toByteArray());
    s.out().flush();
  }

  private static KadMessage receive(Stream s) throws Exception {
    long len = Varint.read(s.in());
    return len < 0 ? null : KadMessage.decode(s.in().readNBytes((int) len), 1 << 20);
  }

  @Test
  void addProviderForSomeoneElseIsIgnored() throws Exception {
    JsInteropKadTest.KadNode victim = node(KadConfig.defaults());
    JsInteropKadTest.KadNode attacker = node(KadConfig.defaults().withServerMode(false));
    Stream s = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    byte[] key = Capabilities.capabilityKey("archival");
    PeerId someoneElse = PrivateKey.generate().peerId();
    Multiaddr addr = Multiaddr.fromString("/ip4/10.1.2.3/tcp/4001");
    send(s, new KadMessage(KadMessage.Type.ADD_PROVIDER, key, null, List.of(),
        List.of(new KadPeer(someoneElse, List.of(addr)))).encode());
    // itself, but without an address
    send(s, new KadMessage(KadMessage.Type.ADD_PROVIDER, key, null, List.of(),
        List.of(new KadPeer(attacker.host.peerId(), List.of()))).encode());
    await().atMost(WAIT).until(() -> victim.dht.metric("provider.rejected") == 2);
    s.close();
    assertThat(victim.dht.findProviders(key, 5)).isEmpty();
  }

  @Test
  void oversizedAndMalformedMessagesResetTheStreamAndTheServerKeepsServing() throws Exception {
    JsInteropKadTest.KadNode victim = node(KadConfig.defaults());
    JsInteropKadTest.KadNode attacker = node(KadConfig.defaults().withServerMode(false));
    Stream big = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    big.out().write(Varint.encode(100L << 20)); // claims 100 MiB
    big.out().flush();
    await().atMost(WAIT).until(() -> victim.dht.metric("request.malformed") == 1);
    Stream bad = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    send(bad, new byte[] {0x08, 0x63}); // type 99
    await().atMost(WAIT).until(() -> victim.dht.metric("request.malformed") == 2);
    Stream bad2 = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    send(bad2, new byte[] {0x42, 0x05, 0x0a, 0x01}); // closer peer truncated
    await().atMost(WAIT).until(() -> victim.dht.metric("request.malformed") == 3);
    Stream cut = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    cut.out().write(new byte[] {10, 0x08, 0x04}); // announces 10 bytes, sends 2, half-closes
    cut.closeWrite();
    await().atMost(WAIT).until(() -> victim.dht.metric("request.malformed") == 4);
    Stream longPrefix = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL))
        .get(10, TimeUnit.SECONDS);
    longPrefix.out().write(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}); // a length prefix of 10 bytes
    longPrefix.out().flush();
    await().atMost(WAIT).until(() -> victim.dht.metric("request.malformed") == 5);
    // still serving: a PING on a fresh stream is answered, and so is PUT_VALUE refused
    Stream ok = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    send(ok, KadMessage.request(KadMessage.Type.PING, null).encode());
    assertThat(receive(ok).type()).isEqualTo(KadMessage.Type.PING);
    send(ok, KadMessage.request(KadMessage.Type.FIND_NODE, attacker.host.peerId().toBytes()).encode());
    assertThat(receive(ok).type()).isEqualTo(KadMessage.Type.FIND_NODE);
    ok.close();
    Stream put = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    send(put, new KadMessage(KadMessage.Type.PUT_VALUE, new byte[] {1}, new byte[] {2}, List.of(), List.of()).encode());
    await().atMost(WAIT).until(() -> victim.dht.metric("values.refused") == 1);
  }

  // ---------------------------------------------------------------- audit

  @Test
  void providerKeysMustBeMultihashes() throws Exception {
    JsInteropKadTest.KadNode victim = node(KadConfig.defaults());
    JsInteropKadTest.KadNode attacker = node(KadConfig.defaults().withServerMode(false));
    Stream get = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    send(get, KadMessage.request(KadMessage.Type.GET_PROVIDERS, new byte[] {0x12, 0x20, 1, 2}).encode());
    org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(() -> receive(get)); // reset, no answer
    await().atMost(WAIT).until(() -> victim.dht.metric("request.bad_key") == 1);
    Stream add = attacker.host.newStream(victim.address(), List.of(KadConfig.DEFAULT_PROTOCOL)).get(10, TimeUnit.SECONDS);
    byte[] tooLong = new byte[90];
    tooLong[0] = 0x00; // identity multihash of 88 bytes: well-formed but longer than 80
    tooLong[1] = 88;
    send(add, new KadMessage(KadMessage.Type.ADD_PROVIDER, tooLong, null, List.of(),
        List.of(new KadPeer(attacker.host.peerId(), attacker.host.listenAddresses()))).encode());
    await().atMost(WAIT).until(() -> victim.dht.metric("request.bad_key") == 2);
    assertThat(victim.dht.metric("provider.added")).isZero();
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> victim.dht.provide("not a multihash".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> victim.dht.findProviders(new byte[0], 1));
  }

  @Test
  void aPeerDrippingItsReplyIsCutOffAtTheRequestTimeout() throws Exception {
    java.util.concurrent.ScheduledExecutorService drip = java.util.concurrent.Executors.newScheduledThreadPool(1);
    closeables.add(drip::shutdownNow);
    RawKadServer slow = new RawKadServer(PrivateKey.generate(), KadConfig.DEFAULT_PROTOCOL);
    closeables.add(slow);
    // announces a 60000-byte reply, then sends one byte every 100 ms: each read is well within the
    // read timeout, the whole reply would take 100 minutes
    slow.handle((s, m) -> {
      s.out().write(Varint.encode(60_000));
      s.out().flush();
      drip.scheduleAtFixedRate(() -> {
        try {
          s.out().write(0);
          s.out().flush();
        } catch (Exception e) {
          throw new IllegalStateException(e); // stream gone: stop dripping
        }
      }, 100, 100, TimeUnit.MILLISECONDS);
    });
    JsInteropKadTest.KadNode honest = node(KadConfig.defaults());
    JsInteropKadTest.KadNode q = node(KadConfig.defaults().withServerMode(false)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(60))
        .withBootstrap(List.of(slow.address(), honest.address())));
    await().atMost(WAIT).until(() -> q.dht.routingTableSize() == 2 && q.dht.metric("query.find_node") == 1);
    long t0 = System.nanoTime();
    List<KadPeer> closest = q.dht.findClosestPeers(Capabilities.capabilityKey("anything"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(closest).extracting(KadPeer::id).containsExactly(honest.host.peerId());
    assertThat(q.dht.metric("query.timeout")).isZero();
    assertThat(q.dht.metric("query.path.0.failed")).isGreaterThanOrEqualTo(2); // bootstrap and this lookup
  }

  @Test
  void malformedAndMistypedRepliesAreCountedAndTheLookupGoesOn() throws Exception {
    RawKadServer garbage = new RawKadServer(PrivateKey.generate(), KadConfig.DEFAULT_PROTOCOL);
    closeables.add(garbage);
    garbage.handle((s, m) -> RawKadServer.write(s, new byte[] {0x08, 0x63})); // type 99
    RawKadServer mistyped = new RawKadServer(PrivateKey.generate(), KadConfig.DEFAULT_PROTOCOL);
    closeables.add(mistyped);
    mistyped.respond(m -> KadMessage.request(KadMessage.Type.PING, null));
    JsInteropKadTest.KadNode honest = node(KadConfig.defaults());
    JsInteropKadTest.KadNode q = node(KadConfig.defaults().withServerMode(false)
        .withBootstrap(List.of(garbage.address(), mistyped.address(), honest.address())));
    await().atMost(WAIT).until(() -> q.dht.routingTableSize() == 3 && q.dht.metric("query.find_node") == 1);
    assertThat(q.dht.findClosestPeers(Capabilities.capabilityKey("x"))).extracting(KadPeer::id)
        .containsExactly(honest.host.peerId());
    assertThat(q.dht.metric("response.malformed")).isEqualTo(4); // two peers, two lookups
  }

  @Test
  void aBootstrapPeerDownAtStartIsDialledAgainByTheRefresh() throws Exception {
    PrivateKey bootKey = PrivateKey.generate();
    io.gossipnet.libp2p.host.Host probe = io.gossipnet.libp2p.host.Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    Multiaddr free = probe.listenAddresses().get(0);
    probe.close();
    JsInteropKadTest.KadNode a = node(KadConfig.defaults().withRefreshInterval(Duration.ofMillis(200))
        .withBootstrap(List.of(free.withPeerId(bootKey.peerId()))));
    await().atMost(WAIT).until(() -> a.dht.metric("bootstrap.failed") >= 2);
    assertThat(a.dht.routingTableSize()).isZero();
    JsInteropKadTest.KadNode boot = new JsInteropKadTest.KadNode(KadConfig.defaults(), bootKey, free.toString());
    closeables.add(boot);
    await().atMost(WAIT).until(() -> a.dht.inRoutingTable(bootKey.peerId()) && a.dht.metric("refresh") >= 1);
  }

  @Test
  void aNodeStartedAloneLooksItselfUpWhenTheFirstPeerArrives() throws Exception {
    JsInteropKadTest.KadNode a = node(KadConfig.defaults());
    JsInteropKadTest.KadNode b = node(KadConfig.defaults().withBootstrap(List.of(a.address())));
    await().atMost(WAIT).until(() -> a.dht.inRoutingTable(b.host.peerId()));
    await().atMost(WAIT).until(() -> a.dht.metric("refresh") == 1 && a.dht.metric("query.find_node") == 1);
    assertThat(b.dht.metric("request.find_node")).isPositive();
  }

  @Test
  void aPeerThatAnswersIsAdmittedWithItsOwnAddressesNotTheReportedOnes() throws Exception {
    // x's host is up before its DHT: q connects then and does not admit it (identify lacks the protocol)
    io.gossipnet.libp2p.host.Host xHost = io.gossipnet.libp2p.host.Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    closeables.add(xHost);
    PeerId x = xHost.peerId();
    byte[] key = Capabilities.capabilityKey("where-is-x");
    Multiaddr bogus = Multiaddr.fromString("/ip4/10.9.9.9/tcp/9");
    RawKadServer liar = new RawKadServer(PrivateKey.generate(), KadConfig.DEFAULT_PROTOCOL);
    closeables.add(liar);
    liar.respond(m -> new KadMessage(m.type(), m.key(), null, java.util.Arrays.equals(m.key(), key)
        ? List.of(new KadPeer(x, List.of(bogus))) : List.of(), List.of()));
    JsInteropKadTest.KadNode q = node(KadConfig.defaults().withServerMode(false).withBootstrap(List.of(liar.address())));
    await().atMost(WAIT).until(() -> q.dht.metric("query.find_node") == 1);
    q.host.dial(xHost.listenAddresses().get(0).withPeerId(x)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> q.dht.metric("table.not_serving") == 1);
    io.gossipnet.libp2p.Connection toX = q.host.connections(x).get(0);
    KadDht xDht = KadDht.start(xHost, KadConfig.defaults());
    closeables.add(xDht);
    await().atMost(WAIT).until(() -> toX.identify().get().protocols().contains(KadConfig.DEFAULT_PROTOCOL));
    // x's identify push admits it with the addresses it announces
    await().atMost(WAIT).until(() -> q.dht.inRoutingTable(x));

    // the liar names x with a bogus address; q reaches x over its connection and x answers: the
    // third party's address does not replace x's own
    assertThat(q.dht.findClosestPeers(key)).extracting(KadPeer::id).contains(x);
    KadPeer known = q.dht.findPeer(x).orElseThrow();
    assertThat(known.addresses()).doesNotContain(bogus).contains(xHost.listenAddresses().get(0));
  }

  @Test
  void aPeerThatStartsOrStopsServingTheDhtAfterConnectingIsAdmittedOrDroppedOnItsIdentifyPush() throws Exception {
    JsInteropKadTest.KadNode server = node(KadConfig.defaults());
    io.gossipnet.libp2p.host.Host late = closeables.add(
        io.gossipnet.libp2p.host.Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start());
    late.dial(server.address()).get(10, java.util.concurrent.TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> server.dht.metric("table.not_serving") >= 1);
    assertThat(server.dht.routingTableSize()).isZero();

    // the connected host starts a DHT server: its identify push announces the protocol
    KadDht lateDht = KadDht.start(late, KadConfig.defaults());
    await().atMost(WAIT).until(() -> server.dht.routingTableSize() == 1);
    assertThat(server.dht.metric("table.admitted_on_push")).isEqualTo(1);

    // and stops it: the next push no longer lists the protocol
    lateDht.close();
    await().atMost(WAIT).until(() -> server.dht.routingTableSize() == 0);
    assertThat(server.dht.metric("table.removed_on_push")).isEqualTo(1);
  }
}
