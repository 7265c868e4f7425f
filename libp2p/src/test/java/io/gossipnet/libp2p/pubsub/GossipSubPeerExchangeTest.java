package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.PeerRecord;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Peer exchange, GossipSub v1.1: a router with {@code doPx} that refuses a peer because its mesh
 * is full offers other peers of the topic with their signed peer records; a pruned router dials
 * them if the pruner scores at least {@code acceptPx}, after checking each record against the peer
 * it is listed for; PX lists over the limit are refused while decoding.
 */
class GossipSubPeerExchangeTest {
  private static final String TOPIC = "t";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final PeerScoreThresholds ACCEPT_PX_FROM_ANYONE = new PeerScoreThresholds(-10, -50, -80, 0, 20);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private JavaNode subscribed(GossipSubConfig config) throws Exception {
    JavaNode n = closeables.add(new JavaNode(config));
    n.gs.subscribe(TOPIC, n::onMessage);
    return n;
  }

  /** A router whose mesh is full with one peer (D = Dlo = Dhi = 1), with peer exchange on or off. */
  private static GossipSubConfig pruner(boolean doPx) {
    return GossipSubConfig.builder().degree(1, 1, 1, 1, 0, 1).doPx(doPx).build();
  }

  /** The pruner with {@code member} in its full mesh. */
  private JavaNode prunerWithFullMesh(boolean doPx, JavaNode member) throws Exception {
    JavaNode x = subscribed(pruner(doPx));
    member.host.dial(x.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> x.gs.meshPeers(TOPIC).equals(Set.of(member.peerId())));
    return x;
  }

  @Test
  void aPeerRefusedForAFullMeshIsOfferedTheOtherPeersOfTheTopicWithTheirSignedRecords() throws Exception {
    JavaNode member = subscribed(GossipSubConfig.defaults());
    JavaNode x = prunerWithFullMesh(true, member);
    RawPubsubPeer refused = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
    refused.connect(x.address(), GossipSub.MESHSUB_V11); // inbound to x: refused when x's mesh is at Dhi
    await().atMost(WAIT).until(() -> x.gs.protocolOf(refused.host.peerId()) != null); // x can answer
    Rpc subAndGraft = RawPubsubPeer.subscribe(TOPIC);
    subAndGraft.control().graft().add(TOPIC);
    refused.send(subAndGraft);

    await().atMost(WAIT).until(() -> refused.received.stream().anyMatch(r -> !r.control().prune().isEmpty()));
    Rpc.Prune prune = refused.received.stream().flatMap(r -> r.control().prune().stream()).findFirst().orElseThrow();
    assertThat(prune.topic()).isEqualTo(TOPIC);
    assertThat(prune.backoffSeconds()).isEqualTo(60);
    assertThat(prune.peers()).hasSize(1);
    Rpc.PeerInfo offered = prune.peers().get(0);
    assertThat(offered.peerId()).isEqualTo(member.peerId().toBytes());
    // the record member signed and sent x in identify, passed on as it is
    PeerRecord record = PeerRecord.verify(offered.signedPeerRecord(), member.peerId());
    assertThat(record.addresses()).containsExactlyElementsOf(member.host.listenAddresses());
    assertThat(x.gs.metric("px.sent")).isEqualTo(1);
  }

  @Test
  void peersTrimmedFromAMeshAboveDhiAtTheHeartbeatAreOfferedTheOtherPeers() throws Exception {
    // Heartbeats only when the test runs one (as GossipSubTest's Dhi trim): a timed one between the
    // 4th and 5th GRAFT would trim 4 to 2, and the 5th would leave 3, not above Dhi.
    JavaNode v = subscribed(GossipSubConfig.builder().degree(2, 1, 3, 1, 0, 2).doPx(true)
        .heartbeatInterval(Duration.ofHours(1)).build());
    await().atMost(WAIT).until(() -> v.gs.heartbeats() >= 1); // the first one runs soon after start
    List<RawPubsubPeer> ps = new ArrayList<>();
    Rpc subAndGraft = RawPubsubPeer.subscribe(TOPIC);
    subAndGraft.control().graft().add(TOPIC);
    for (int i = 0; i < 5; i++) {
      RawPubsubPeer p = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
      // v dials them: GRAFTs from outbound peers are accepted above Dhi, so the heartbeat must trim
      v.host.dial(p.host.listenAddresses().get(0).withPeerId(p.host.peerId())).get(10, TimeUnit.SECONDS);
      // the raw peer must reuse that connection, not dial a second one inbound to v
      await().atMost(WAIT).until(() -> !p.host.connections(v.peerId()).isEmpty());
      p.connect(v.address(), GossipSub.MESHSUB_V11);
      await().atMost(WAIT).until(() -> v.gs.protocolOf(p.host.peerId()) != null);
      p.send(subAndGraft);
      ps.add(p);
    }
    await().atMost(WAIT).until(() -> v.gs.meshPeers(TOPIC).size() == 5);
    v.gs.heartbeat();
    await().atMost(WAIT).until(() -> v.gs.meshPeers(TOPIC).size() == 2 && ps.stream()
        .filter(p -> p.received.stream().anyMatch(r -> !r.control().prune().isEmpty())).count() == 3);
    for (RawPubsubPeer p : ps) {
      for (Rpc.Prune pr : p.received.stream().flatMap(r -> r.control().prune().stream()).toList()) {
        // the other four peers of the topic, each with the record it signed
        assertThat(pr.peers()).hasSize(4);
        for (Rpc.PeerInfo pi : pr.peers()) {
          PeerId id = PeerId.fromBytes(pi.peerId());
          assertThat(id).isNotEqualTo(p.host.peerId()).isIn(ps.stream().map(q -> q.host.peerId()).toList());
          assertThat(PeerRecord.verify(pi.signedPeerRecord(), id).addresses()).isNotEmpty();
        }
      }
    }
    assertThat(v.gs.metric("px.sent")).isEqualTo(3);
  }

  @Test
  void withoutDoPxAPruneForAFullMeshOffersNoPeers() throws Exception {
    JavaNode member = subscribed(GossipSubConfig.defaults());
    JavaNode x = prunerWithFullMesh(false, member);
    RawPubsubPeer refused = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
    refused.connect(x.address(), GossipSub.MESHSUB_V11);
    await().atMost(WAIT).until(() -> x.gs.protocolOf(refused.host.peerId()) != null);
    Rpc subAndGraft = RawPubsubPeer.subscribe(TOPIC);
    subAndGraft.control().graft().add(TOPIC);
    refused.send(subAndGraft);
    await().atMost(WAIT).until(() -> refused.received.stream().anyMatch(r -> !r.control().prune().isEmpty()));
    assertThat(refused.received.stream().flatMap(r -> r.control().prune().stream()))
        .allSatisfy(p -> assertThat(p.peers()).isEmpty());
    assertThat(x.gs.metric("px.sent")).isZero();
  }

  @Test
  void aNodePrunedWithPxConnectsToTheListedPeerAndMeshesWithIt() throws Exception {
    JavaNode member = subscribed(GossipSubConfig.defaults());
    JavaNode x = prunerWithFullMesh(true, member);
    JavaNode pruned = subscribed(GossipSubConfig.builder().scoring(PeerScoreParams.defaults(), ACCEPT_PX_FROM_ANYONE)
        .build());
    // pruned grafts x on seeing its subscription; x's mesh is full, so x prunes it with PX naming member
    pruned.host.dial(x.address()).get(10, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> pruned.gs.metric("px.connected") == 1 && pruned.connectedTo(member.peerId()));
    assertThat(pruned.gs.metric("prune.received")).isEqualTo(1);
    assertThat(pruned.gs.meshPeers(TOPIC)).doesNotContain(x.peerId());
    // the new connection is an ordinary pubsub peer: it joins the mesh
    await().atMost(WAIT).until(() -> pruned.gs.meshPeers(TOPIC).contains(member.peerId()));
    member.gs.publish(TOPIC, "via-px".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> pruned.texts().contains("via-px"));
  }

  @Test
  void pxFromAPeerScoringBelowAcceptPxIsIgnored() throws Exception {
    JavaNode member = subscribed(GossipSubConfig.defaults());
    JavaNode x = prunerWithFullMesh(true, member);
    JavaNode pruned = subscribed(GossipSubConfig.defaults()); // acceptPx 10: x scores 0
    pruned.host.dial(x.address()).get(10, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> pruned.gs.metric("px.ignoredScore") == 1);
    assertThat(pruned.gs.metric("px.received")).isEqualTo(1);
    assertThat(pruned.gs.metric("px.dialed")).isZero();
    assertThat(pruned.connectedTo(member.peerId())).isFalse();
  }

  @Test
  void anEntryWhoseRecordIsNotSignedByTheListedPeerIsDroppedAndCountedWhileAValidOneIsDialled() throws Exception {
    JavaNode victim = subscribed(GossipSubConfig.builder().scoring(PeerScoreParams.defaults(), ACCEPT_PX_FROM_ANYONE)
        .build());
    RawPubsubPeer pruner = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
    JavaNode impersonated = closeables.add(new JavaNode(GossipSubConfig.defaults()));
    JavaNode genuine = closeables.add(new JavaNode(GossipSubConfig.defaults()));
    pruner.connect(victim.address(), GossipSub.MESHSUB_V11);
    pruner.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> victim.gs.meshPeers(TOPIC).contains(pruner.host.peerId()));

    // a record naming `impersonated` but signed by the pruner (to send the victim to the pruner's address)
    byte[] forged = new PeerRecord(impersonated.peerId(), 1, pruner.host.listenAddresses())
        .sign(pruner.host.identity());
    byte[] valid = new PeerRecord(genuine.peerId(), 1, genuine.host.listenAddresses()).sign(genuine.host.identity());
    Rpc prune = Rpc.empty();
    prune.control().prune().add(new Rpc.Prune(TOPIC, 60, List.of(
        new Rpc.PeerInfo(impersonated.peerId().toBytes(), forged),
        new Rpc.PeerInfo(genuine.peerId().toBytes(), valid))));
    pruner.send(prune);

    await().atMost(WAIT).until(() -> victim.gs.metric("px.invalidRecord") == 1
        && victim.gs.metric("px.connected") == 1);
    assertThat(victim.connectedTo(genuine.peerId())).isTrue();
    assertThat(victim.connectedTo(impersonated.peerId())).isFalse();
    assertThat(victim.gs.metric("px.dialed")).isEqualTo(1);
  }

  @Test
  void anEntryWithoutARecordIsDialledOnlyAtAnAddressWeAlreadyKnow() throws Exception {
    JavaNode victim = subscribed(GossipSubConfig.builder().scoring(PeerScoreParams.defaults(), ACCEPT_PX_FROM_ANYONE)
        .build());
    RawPubsubPeer pruner = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
    JavaNode unknown = closeables.add(new JavaNode(GossipSubConfig.defaults()));
    JavaNode known = subscribed(GossipSubConfig.defaults());
    // the victim learns known's addresses through identify, then the connection drops
    known.host.dial(victim.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> victim.gs.topicPeers(TOPIC).contains(known.peerId()));
    known.host.connections(victim.peerId()).forEach(c -> c.close());
    await().atMost(WAIT).until(() -> !victim.connectedTo(known.peerId())
        && !victim.gs.topicPeers(TOPIC).contains(known.peerId()));

    pruner.connect(victim.address(), GossipSub.MESHSUB_V11);
    pruner.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> victim.gs.meshPeers(TOPIC).contains(pruner.host.peerId()));
    Rpc prune = Rpc.empty();
    prune.control().prune().add(new Rpc.Prune(TOPIC, 60, List.of(
        new Rpc.PeerInfo(unknown.peerId().toBytes(), null), new Rpc.PeerInfo(known.peerId().toBytes(), null))));
    pruner.send(prune);

    await().atMost(WAIT).until(() -> victim.gs.metric("px.noAddress") == 1 && victim.gs.metric("px.connected") == 1);
    assertThat(victim.connectedTo(known.peerId())).isTrue();
    assertThat(victim.connectedTo(unknown.peerId())).isFalse();
  }

  @Test
  void aPruneWithMorePxEntriesThanTheLimitIsRefusedWhole() throws Exception {
    JavaNode victim = subscribed(GossipSubConfig.builder().scoring(PeerScoreParams.defaults(), ACCEPT_PX_FROM_ANYONE)
        .build());
    RawPubsubPeer pruner = closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
    pruner.connect(victim.address(), GossipSub.MESHSUB_V11);
    pruner.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> victim.gs.meshPeers(TOPIC).contains(pruner.host.peerId()));

    List<Rpc.PeerInfo> many = new ArrayList<>();
    for (int i = 0; i <= RpcLimits.DEFAULT_MAX_PX_PEERS; i++) {
      many.add(new Rpc.PeerInfo(PrivateKey.generate().peerId().toBytes(), null));
    }
    Rpc prune = Rpc.empty();
    prune.control().prune().add(new Rpc.Prune(TOPIC, 60, many));
    pruner.send(prune);

    await().atMost(WAIT).until(() -> victim.gs.metric("rpc.malformed") == 1);
    assertThat(victim.gs.metric("prune.received")).isZero();
    assertThat(victim.gs.metric("px.received")).isZero();
    // like any RPC over a limit: not applied at all, and a behaviour penalty for the sender
    assertThat(victim.gs.score(pruner.host.peerId())).isNegative();
  }
}
