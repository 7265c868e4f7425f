package io.gossipnet.libp2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DHT behaviour between Java nodes, and against hand-written requests. */
class KadDhtTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() {
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private JsInteropKadTest.KadNode node(KadConfig config) throws Exception {
    JsInteropKadTest.KadNode n = new JsInteropKadTest.KadNode(config);
    closeables.add(n);
    return n;
  }

  /** A chain of nodes, each bootstrapped from the previous one. */
  private List<JsInteropKadTest.KadNode> chain(int n) throws Exception {
    List<JsInteropKadTest.KadNode> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      KadConfig c = KadConfig.defaults();
      if (i > 0) {
        c = c.withBootstrap(List.of(nodes.get(i - 1).address()));
      }
      nodes.add(node(c));
    }
    return nodes;
  }

  @Test
  void aProviderIsFoundAcrossAChainOfNodes() throws Exception {
    List<JsInteropKadTest.KadNode> nodes = chain(6);
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.dht.routingTableSize() >= 1));
    byte[] key = Capabilities.capabilityKey("archival");
    assertThat(nodes.get(0).dht.provide(key)).isPositive();
    List<KadPeer> found = nodes.get(5).dht.findProviders(key, 1);
    assertThat(found).extracting(KadPeer::id).containsExactly(nodes.get(0).host.peerId());
  }

  @Test
  void findPeerWalksTheNetwork() throws Exception {
    List<JsInteropKadTest.KadNode> nodes = chain(5);
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.dht.routingTableSize() >= 1));
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
    Thread.sleep(500);
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
    Thread.sleep(400);
    b.close();
    assertThat(a.dht.findProviders(key, 1)).isEmpty();
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
}
