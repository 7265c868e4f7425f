package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Floods against each limit of a P2P node a remote can push against, over real libp2p
 * connections: the excess is refused and counted ({@code gossipnet.p2p.streams.refused{reason}},
 * {@code gossipnet.p2p.host.limits{limit}}), a peer connected before the flood keeps being served
 * (its message arrives), and what the node holds for the flood stays bounded.
 */
class P2PFloodTest {
  private static final String GENESIS = "flood-test";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<IncomingMessage> received = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private P2PNetwork node;
  private PrivateKey nodeKey;
  private P2PNetwork honest;
  private int honestSent;

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (honest != null) {
      honest.stop();
    }
    if (node != null) {
      node.stop();
    }
  }

  /**
   * The node under flood (its key sorts above the flood's, so the flood opens the gossip streams)
   * and an honest peer connected to it.
   */
  private void start(UnaryOperator<NetworkConfig.Builder> config, P2PConfig.Builder p2p) {
    nodeKey = java.util.stream.Stream.generate(PrivateKey::generate).limit(16)
        .max(Comparator.comparing(k -> k.publicKey().toPeerId())).orElseThrow();
    node = new P2PNetwork(config.apply(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(0)).build(),
        p2p.privateKey(nodeKey).build(), registry);
    node.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> {
      received.add(m);
      return OutgoingMessage.ignore();
    })));
    node.start();
    honest = new P2PNetwork(NetworkConfig.builder(GENESIS).relayPeers(List.of(node.address().orElseThrow())).gossipFanout(1)
        .meshInterval(Duration.ofMillis(200)).build(), P2PConfig.defaults(), new SimpleMeterRegistry());
    honest.start();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1 && honest.connectedPeers().size() == 1);
    assertHonestServed();
  }

  /** The honest peer broadcasts until the node has its message. */
  private void assertHonestServed() {
    String text = "honest-" + (++honestSent);
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      honest.broadcast(Tags.AV, data, false, null);
      assertThat(received).anySatisfy(m -> assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo(text));
    });
  }

  /** A key whose peer ID sorts below the node's: its holder opens the gossip stream. */
  private PrivateKey lowerKey() {
    while (true) {
      PrivateKey k = PrivateKey.generate();
      if (k.publicKey().toPeerId().compareTo(nodeKey.publicKey().toPeerId()) < 0) {
        return k;
      }
    }
  }

  private RawGossipPeer raw() throws Exception {
    RawGossipPeer r = RawGossipPeer.dial(lowerKey(), node.address().orElseThrow(), GENESIS);
    open.add(r);
    return r;
  }

  private double counted(String name, String tag, String value) {
    Search s = registry.find(name).tag(tag, value);
    if (s.counter() != null) {
      return s.counter().count();
    }
    return s.functionCounter() == null ? 0 : s.functionCounter().count();
  }

  private double refused(String reason) {
    return counted("gossipnet.p2p.streams.refused", "reason", reason);
  }

  /** Opens a gossip stream and runs the exchange; false if the node refused it. */
  private static boolean opened(RawGossipPeer r) {
    try {
      r.openGossipStream();
      return true;
    } catch (Exception refused) {
      return false;
    }
  }

  @Test
  void gossipStreamsPastTheIncomingLimitAreRefusedTheExcessAndTheOtherPeerIsServed() throws Exception {
    start(b -> b.incomingConnectionsLimit(3).maxConnectionsPerIp(100), P2PConfig.builder());
    List<RawGossipPeer> flood = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RawGossipPeer r = raw();
      opened(r);
      flood.add(r);
      await().atMost(WAIT).until(() -> node.connectedPeers().size() + refused("total_limit") == 1 + flood.size());
    }
    assertThat(refused("total_limit")).isEqualTo(3);
    assertThat(node.connectedPeers()).hasSize(3);
    await().atMost(WAIT).until(() -> flood.stream().filter(r -> r.connection().isOpen()).count() == 2);
    assertHonestServed();
  }

  @Test
  void gossipStreamsFromOneAddressPastThePerIpLimitAreRefusedTheExcessAndTheOtherPeerIsServed() throws Exception {
    start(b -> b.maxConnectionsPerIp(3), P2PConfig.builder()); // the honest peer is on 127.0.0.1 too
    List<RawGossipPeer> flood = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RawGossipPeer r = raw();
      opened(r);
      flood.add(r);
      await().atMost(WAIT).until(() -> node.connectedPeers().size() + refused("per_ip_limit") == 1 + flood.size());
    }
    assertThat(refused("per_ip_limit")).isEqualTo(3);
    assertThat(node.connectedPeers()).hasSize(3);
    assertHonestServed();
  }

  @Test
  void gossipStreamsOpenedAtOncePastThePerIpLimitAreRefusedOrClosedAndTheOtherPeerIsServed() throws Exception {
    start(b -> b.maxConnectionsPerIp(3), P2PConfig.builder());
    List<RawGossipPeer> flood = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      flood.add(raw());
    }
    List<Thread> openers = new ArrayList<>();
    for (RawGossipPeer r : flood) {
      openers.add(Thread.ofVirtual().start(() -> opened(r)));
    }
    for (Thread t : openers) {
      t.join();
    }
    // refused before the exchange, or closed when added past the limit (their exchanges ran at once)
    await().atMost(WAIT).until(() -> refused("per_ip_limit")
        + counted("gossipnet.connections.dropped", "reason", "IncomingLimit") == 6);
    assertThat(node.connectedPeers()).hasSize(3);
    assertHonestServed();
  }

  @Test
  void connectionsPastTheHostsInboundLimitAreRefusedAndCountedAndTheOtherPeerIsServed() throws Exception {
    // an incoming limit of 2 makes the host's inbound limit its least, 8: the honest peer and 7 more
    start(b -> b.incomingConnectionsLimit(2).maxConnectionsPerIp(100), P2PConfig.builder());
    for (int i = 0; i < 12; i++) {
      Host h = Host.builder().identity(lowerKey()).build().start();
      open.add(h);
      h.dial(Multiaddr.fromString(node.address().orElseThrow())).handle((c, e) -> c).get(10, TimeUnit.SECONDS);
    }
    await().atMost(WAIT).until(() -> counted("gossipnet.p2p.host.limits", "limit", "connection.refused.inboundLimit") == 5);
    assertThat(node.transport().host().orElseThrow().connections()).hasSize(8);
    assertHonestServed();
  }

  @Test
  void aGossipStreamTricklingItsExchangeIsRefusedAtTheStreamTimeoutAndTheOtherPeerIsServed() throws Exception {
    start(b -> b, P2PConfig.builder().streamTimeout(Duration.ofSeconds(1)));
    RawGossipPeer r = raw();
    Stream s = r.connection().newStream(List.of(P2PTransport.GOSSIP_V22)).get(10, TimeUnit.SECONDS);
    // a metadata frame of 2000 bytes announced, then a byte now and then: each read gets one well
    // within the timeout, only a deadline on the whole exchange ends it
    s.out().write(new byte[] {0x07, (byte) 0xD0});
    s.out().flush();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      try {
        s.out().write(0x80);
        s.out().flush();
      } catch (java.io.IOException reset) {
        // refused meanwhile
      }
      return refused("exchange_timeout") == 1;
    });
    assertThat(RawGossipPeer.ended(s.in())).isTrue();
    assertThat(node.connectedPeers()).hasSize(1);
    assertHonestServed();
  }

  @Test
  void gossipStreamsOpenedDuringAnotherOnesExchangeSupersedeItAndTheOtherPeerIsServed() throws Exception {
    start(b -> b, P2PConfig.builder().streamTimeout(Duration.ofSeconds(1)));
    PrivateKey key = lowerKey();
    RawGossipPeer r = RawGossipPeer.dial(key, node.address().orElseThrow(), GENESIS);
    open.add(r);
    List<Stream> flood = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Stream s = r.connection().newStream(List.of(P2PTransport.GOSSIP_V22)).get(10, TimeUnit.SECONDS);
      s.out().write(new byte[] {0, 100}); // a metadata frame announced, never sent
      s.out().flush();
      flood.add(s);
    }
    // each stream resets the one before it: the node holds one exchange of the peer at a time
    await().atMost(WAIT).until(() -> refused("superseded") == 19);
    await().atMost(WAIT).until(() -> refused("exchange_timeout") == 1);
    Connection atNode = node.transport().host().orElseThrow().connections(key.peerId()).get(0);
    await().atMost(WAIT).until(() -> atNode.streamCount() == 0);
    assertThat(flood).allMatch(s -> RawGossipPeer.ended(s.in()));
    assertHonestServed();
  }

  @Test
  void gossipStreamsOpenedOneAfterAnotherEachReplaceTheOneBeforeAndTheOtherPeerIsServed() throws Exception {
    start(b -> b, P2PConfig.builder());
    PrivateKey key = lowerKey();
    RawGossipPeer r = RawGossipPeer.dial(key, node.address().orElseThrow(), GENESIS);
    open.add(r);
    List<Stream> streams = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      streams.add(r.openGossipStream());
      int replaced = i;
      await().atMost(WAIT).until(() -> counted("gossipnet.p2p.streams.replaced", "network", "p2p") == replaced);
    }
    assertThat(node.connectedPeers()).hasSize(2);
    assertThat(streams.subList(0, 9)).allMatch(s -> RawGossipPeer.ended(s.in()));
    Connection atNode = node.transport().host().orElseThrow().connections(key.peerId()).get(0);
    await().atMost(WAIT).until(() -> atNode.streamCount() <= 2); // the live gossip stream, and GossipSub's or identify's at most
    RawGossipPeer.sendAv(streams.get(9), "on the last stream");
    await().atMost(WAIT).until(() -> received.stream().anyMatch(m -> new String(m.data(), StandardCharsets.UTF_8).equals("on the last stream")));
    assertHonestServed();
  }
}
