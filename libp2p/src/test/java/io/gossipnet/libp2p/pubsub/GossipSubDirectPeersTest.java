package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Explicit (direct) peering, GossipSub v1.1: direct peers are connected and kept connected by the
 * router, get every message of their topics outside the mesh, are never grafted nor sent gossip,
 * have their GRAFTs refused, and are never graylisted.
 */
class GossipSubDirectPeersTest {
  private static final String TOPIC = "t";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration HEARTBEAT = Duration.ofMillis(100);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private static GossipSubConfig.Builder fast() {
    return GossipSubConfig.builder().heartbeatInterval(HEARTBEAT).floodPublish(false);
  }

  private static Multiaddr addressOf(Host h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void directPeersConnectOnStartAndExchangeEveryMessageWithoutEverJoiningAMeshOrGettingGossip() throws Exception {
    Host hostA = closeables.add(JavaNode.newHost());
    JavaNode b = closeables.add(new JavaNode(fast().directPeers(List.of(addressOf(hostA))).build()));
    JavaNode a = closeables.add(new JavaNode(hostA, fast().directPeers(List.of(b.address())).build()));
    // c is an ordinary mesh peer of a: what it publishes reaches b only through a's direct link
    JavaNode c = closeables.add(new JavaNode(fast().build()));
    for (JavaNode n : List.of(a, b, c)) {
      n.gs.subscribe(TOPIC, n::onMessage);
    }
    c.host.dial(a.address()).get(10, TimeUnit.SECONDS);
    // nobody dialled b: a did on start
    await().atMost(WAIT).until(() -> a.gs.topicPeers(TOPIC).contains(b.peerId())
        && b.gs.topicPeers(TOPIC).contains(a.peerId()) && a.gs.meshPeers(TOPIC).contains(c.peerId()));

    a.gs.publish(TOPIC, utf8("from-a"));
    b.gs.publish(TOPIC, utf8("from-b"));
    c.gs.publish(TOPIC, utf8("from-c"));
    await().atMost(WAIT).until(() -> a.texts().size() == 2 && b.texts().size() == 2 && c.texts().size() == 2);
    assertThat(b.texts()).containsExactlyInAnyOrder("from-a", "from-c");
    assertThat(c.texts()).containsExactlyInAnyOrder("from-a", "from-b");
    assertThat(a.texts()).containsExactlyInAnyOrder("from-b", "from-c");

    // a few heartbeats with messages in the cache: still no mesh link, no GRAFT and no IHAVE between a and b
    long h = a.gs.heartbeats();
    await().atMost(WAIT).until(() -> a.gs.heartbeats() >= h + 5);
    assertThat(a.gs.meshPeers(TOPIC)).containsExactly(c.peerId());
    assertThat(b.gs.meshPeers(TOPIC)).isEmpty();
    assertThat(b.gs.metric("graft.received")).isZero();
    assertThat(a.gs.metric("graft.direct")).isZero();
    assertThat(b.gs.metric("ihave.received")).isZero();
    assertThat(a.gs.metric("direct.connected") + b.gs.metric("direct.connected")).isPositive();
  }

  @Test
  void aDirectPeerThatDisconnectsIsRedialledAfterDirectConnectTicks() throws Exception {
    JavaNode b = closeables.add(new JavaNode(fast().build())); // b does not list a: only a redials
    b.gs.subscribe(TOPIC, b::onMessage);
    JavaNode a = closeables.add(new JavaNode(fast().directPeers(List.of(b.address())).directConnectTicks(5).build()));
    a.gs.subscribe(TOPIC, a::onMessage);
    await().atMost(WAIT).until(() -> a.gs.metric("direct.connected") == 1
        && a.gs.topicPeers(TOPIC).contains(b.peerId()));

    b.host.connections(a.peerId()).forEach(Connection::close);
    await().atMost(WAIT).until(() -> !a.connectedTo(b.peerId()));
    await().atMost(WAIT).until(() -> a.gs.metric("direct.connected") == 2 && a.connectedTo(b.peerId()));
    assertThat(a.gs.metric("direct.dialed")).isEqualTo(2);

    await().atMost(WAIT).until(() -> a.gs.topicPeers(TOPIC).contains(b.peerId()));
    a.gs.publish(TOPIC, utf8("after-redial"));
    await().atMost(WAIT).until(() -> b.texts().contains("after-redial"));
  }

  @Test
  void aGraftFromADirectPeerIsAnsweredWithPruneWithoutPenaltyAndThePeerStaysOutOfTheMesh() throws Exception {
    RawPubsubPeer direct = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
    JavaNode other = closeables.add(new JavaNode(fast().build()));
    other.gs.subscribe(TOPIC, other::onMessage);
    // peer exchange is on, yet a PRUNE for a direct peer's GRAFT offers no peers
    JavaNode a = closeables.add(new JavaNode(fast().doPx(true).directPeers(List.of(addressOf(direct.host))).build()));
    a.gs.subscribe(TOPIC, a::onMessage);
    other.host.dial(a.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> a.gs.protocolOf(direct.host.peerId()) != null
        && a.gs.meshPeers(TOPIC).contains(other.peerId()));

    // a peering configured on the direct peer's side only: it subscribes and grafts
    direct.connect(a.address(), GossipSub.MESHSUB_V11);
    Rpc subAndGraft = RawPubsubPeer.subscribe(TOPIC);
    subAndGraft.control().graft().add(TOPIC);
    direct.send(subAndGraft);
    await().atMost(WAIT).until(() -> a.gs.metric("graft.direct") == 1);
    await().atMost(WAIT).until(() -> direct.received.stream().flatMap(r -> r.control().prune().stream())
        .anyMatch(p -> p.topic().equals(TOPIC)));
    assertThat(direct.received.stream().flatMap(r -> r.control().prune().stream()))
        .allSatisfy(p -> assertThat(p.peers()).isEmpty());
    assertThat(a.gs.meshPeers(TOPIC)).doesNotContain(direct.host.peerId());
    assertThat(a.gs.score(direct.host.peerId())).isZero();

    // outside the mesh it still gets what a publishes
    a.gs.publish(TOPIC, utf8("to-direct"));
    await().atMost(WAIT).until(() -> direct.received.stream().flatMap(r -> r.messages().stream())
        .anyMatch(m -> new String(m.data(), StandardCharsets.UTF_8).equals("to-direct")));
    long h = a.gs.heartbeats();
    await().atMost(WAIT).until(() -> a.gs.heartbeats() >= h + 3);
    assertThat(a.gs.meshPeers(TOPIC)).doesNotContain(direct.host.peerId());
    assertThat(direct.received.stream().flatMap(r -> r.control().graft().stream())).isEmpty();
    assertThat(direct.received.stream().flatMap(r -> r.control().ihave().stream())).isEmpty();
  }

  @Test
  void aDirectPeerIsReadEvenWithAScoreBelowTheGraylistThreshold() throws Exception {
    RawPubsubPeer direct = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
    JavaNode a = closeables.add(new JavaNode(fast().directPeers(List.of(addressOf(direct.host))).build()));
    a.gs.subscribe(TOPIC, a::onMessage);
    direct.connect(a.address(), GossipSub.MESHSUB_V11);
    direct.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> a.gs.topicPeers(TOPIC).contains(direct.host.peerId()));
    PrivateKey author = PrivateKey.generate();
    for (int i = 0; i < 3; i++) {
      Rpc.WireMessage m = RawPubsubPeer.signed(author, TOPIC, "bad" + i, i);
      direct.send(RawPubsubPeer.messages(new Rpc.WireMessage(m.from(), m.data(), m.seqno(), TOPIC, new byte[64],
          m.key())));
    }
    await().atMost(WAIT).until(() -> a.gs.metric("msg.invalid.signature") == 3);
    assertThat(a.gs.score(direct.host.peerId())).isLessThan(PeerScoreThresholds.defaults().graylist());

    direct.send(RawPubsubPeer.messages(RawPubsubPeer.signed(author, TOPIC, "still-read", 10)));
    await().atMost(WAIT).until(() -> a.texts().contains("still-read"));
    assertThat(a.gs.metric("rpc.graylisted")).isZero();
  }
}
