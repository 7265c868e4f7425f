package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The router between Java nodes and against hand-driven peers. */
class GossipSubTest {
  private static final String TOPIC = "t";
  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private JavaNode node(GossipSubConfig config) throws Exception {
    JavaNode n = new JavaNode(config);
    closeables.add(n);
    return n;
  }

  private RawPubsubPeer raw(String protocol, boolean reads) throws Exception {
    RawPubsubPeer p = new RawPubsubPeer(protocol, reads);
    closeables.add(p);
    return p;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLineOfFiveNodesDeliversEveryMessageOnceToEveryOtherNode() throws Exception {
    List<JavaNode> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JavaNode n = node(GossipSubConfig.builder().floodPublish(false).build());
      n.gs.subscribe(TOPIC, n::onMessage);
      nodes.add(n);
    }
    for (int i = 0; i < 4; i++) {
      nodes.get(i).host.dial(nodes.get(i + 1).address()).get(10, TimeUnit.SECONDS);
    }
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.gs.meshPeers(TOPIC).size() >= 1)
        && nodes.get(2).gs.meshPeers(TOPIC).size() == 2);
    for (int i = 0; i < 5; i++) {
      nodes.get(i).gs.publish(TOPIC, utf8("m" + i + "a"));
      nodes.get(i).gs.publish(TOPIC, utf8("m" + i + "b"));
    }
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.received.size() >= 8));
    Thread.sleep(1500); // a duplicate via gossip would show up by now
    for (int i = 0; i < 5; i++) {
      List<String> expected = new ArrayList<>();
      for (int k = 0; k < 5; k++) {
        if (k != i) {
          expected.add("m" + k + "a");
          expected.add("m" + k + "b");
        }
      }
      assertThat(nodes.get(i).texts()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void strictNoSignWithBlake2bIdsAsGoAlgorandConfiguresIt() throws Exception {
    GossipSubConfig c = GossipSubConfig.builder().algorandDegree(8).signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
        .messageIdFunction(MessageIdFunction.BLAKE2B_256_DATA).validation(20, 256).build();
    JavaNode a = node(c);
    JavaNode b = node(c);
    a.gs.subscribe("algotx01", a::onMessage);
    b.gs.subscribe("algotx01", b::onMessage);
    a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> a.gs.meshPeers("algotx01").contains(b.peerId()));
    a.gs.publish("algotx01", utf8("tx"));
    await().atMost(WAIT).until(() -> b.received.size() == 1);
    PubsubMessage m = b.received.get(0);
    assertThat(m.from()).isNull();
    assertThat(m.seqno()).isNull();
    assertThat(m.id()).isEqualTo(MessageIdFunction.BLAKE2B_256_DATA.messageId(null, null, null, utf8("tx")));
    assertThat(m.receivedFrom()).isEqualTo(a.peerId());
  }

  @Test
  void anIHaveForAnUnseenMessageIsAnsweredWithIWantAndAnIWantIsServedFromTheCache() throws Exception {
    JavaNode v = node(GossipSubConfig.defaults());
    v.gs.subscribe(TOPIC, v::onMessage);
    RawPubsubPeer p = raw(GossipSub.MESHSUB_V11, true);
    p.connect(v.address(), GossipSub.MESHSUB_V11);
    p.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> v.gs.topicPeers(TOPIC).contains(p.host.peerId()) && !p.received.isEmpty());

    Rpc ihave = Rpc.empty();
    ihave.control().ihave().add(new Rpc.IHave(TOPIC, List.of(new byte[] {1, 2, 3})));
    p.send(ihave);
    await().atMost(WAIT).until(() -> p.received.stream().flatMap(r -> r.control().iwant().stream())
        .anyMatch(id -> HexFormat.of().formatHex(id).equals("010203")));

    v.gs.publish(TOPIC, utf8("cached"));
    await().atMost(WAIT).until(() -> p.received.stream().anyMatch(r -> !r.messages().isEmpty()));
    Rpc.WireMessage sent = p.received.stream().filter(r -> !r.messages().isEmpty()).findFirst().orElseThrow()
        .messages().get(0);
    byte[] msgId = MessageIdFunction.FROM_SEQNO.messageId(sent.from(), sent.key(), sent.seqno(), sent.data());
    int before = (int) p.received.stream().mapToLong(r -> r.messages().size()).sum();
    Rpc iwant = Rpc.empty();
    iwant.control().iwant().add(msgId);
    p.send(iwant);
    await().atMost(WAIT).until(() -> p.received.stream().mapToLong(r -> r.messages().size()).sum() == before + 1);
    assertThat(v.gs.metric("iwant.received")).isEqualTo(1);
  }

  @Test
  void aFloodsubPeerGetsMessagesButNoControl() throws Exception {
    JavaNode v = node(GossipSubConfig.defaults());
    v.gs.subscribe(TOPIC, v::onMessage);
    RawPubsubPeer f = raw(GossipSub.FLOODSUB, true);
    f.connect(v.address(), GossipSub.FLOODSUB);
    f.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> GossipSub.FLOODSUB.equals(v.gs.protocolOf(f.host.peerId()))
        && v.gs.topicPeers(TOPIC).contains(f.host.peerId()));
    PrivateKey author = PrivateKey.generate();
    f.send(RawPubsubPeer.messages(RawPubsubPeer.signed(author, TOPIC, "from-floodsub", 1)));
    await().atMost(WAIT).until(() -> v.texts().contains("from-floodsub"));
    v.gs.publish(TOPIC, utf8("to-floodsub"));
    await().atMost(WAIT).until(() -> f.received.stream().anyMatch(r -> !r.messages().isEmpty()));
    Thread.sleep(1200); // a heartbeat with gossip has run
    assertThat(v.gs.meshPeers(TOPIC)).doesNotContain(f.host.peerId());
    assertThat(f.received).allSatisfy(r -> assertThat(r.control().isEmpty()).isTrue());
  }

  @Test
  void aStalledPeerOverflowsOnlyItsOwnQueue() throws Exception {
    JavaNode v = node(GossipSubConfig.builder().outboundQueueSize(8).build());
    v.gs.subscribe(TOPIC, v::onMessage);
    JavaNode good = node(GossipSubConfig.defaults());
    good.gs.subscribe(TOPIC, good::onMessage);
    good.host.dial(v.address()).get(10, TimeUnit.SECONDS);
    RawPubsubPeer stalled = raw(GossipSub.MESHSUB_V11, false);
    stalled.connect(v.address(), GossipSub.MESHSUB_V11);
    stalled.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> v.gs.topicPeers(TOPIC).containsAll(List.of(good.peerId(), stalled.host.peerId()))
        && v.gs.protocolOf(stalled.host.peerId()) != null && v.gs.meshPeers(TOPIC).contains(good.peerId()));
    byte[] payload = new byte[16 * 1024];
    for (int i = 0; i < 100; i++) {
      payload[0] = (byte) i;
      payload[1] = (byte) (i >> 8);
      v.gs.publish(TOPIC, payload.clone());
      int want = i + 1;
      await().atMost(WAIT).until(() -> good.received.size() == want); // the good peer is never held up
    }
    // 1.6 MB against a 256 KiB window that is never replenished: the stalled peer's queue overflowed
    assertThat(v.gs.metric("queue.dropped")).isPositive();
  }

  @Test
  void aFullValidationQueueDropsAndCounts() throws Exception {
    JavaNode v = node(GossipSubConfig.builder().validation(1, 1).build());
    CountDownLatch release = new CountDownLatch(1);
    v.gs.setValidator(TOPIC, m -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ValidationResult.ACCEPT;
    });
    v.gs.subscribe(TOPIC, v::onMessage);
    RawPubsubPeer p = raw(GossipSub.MESHSUB_V11, true);
    p.connect(v.address(), GossipSub.MESHSUB_V11);
    PrivateKey author = PrivateKey.generate();
    for (int i = 0; i < 10; i++) {
      p.send(RawPubsubPeer.messages(RawPubsubPeer.signed(author, TOPIC, "m" + i, i)));
    }
    // one in the worker, one queued, eight dropped
    await().atMost(WAIT).until(() -> v.gs.metric("validation.dropped") == 8);
    release.countDown();
    await().atMost(WAIT).until(() -> v.received.size() == 2);
  }

  @Test
  void theHeartbeatTrimsAMeshAboveDhiToD() throws Exception {
    // Heartbeats only when the test runs one: a timed heartbeat between the 4th and 5th GRAFT
    // would trim 4 to 2, and the 5th GRAFT would leave 3, not above Dhi.
    JavaNode v = node(GossipSubConfig.builder().degree(2, 1, 3, 1, 0, 2).heartbeatInterval(Duration.ofHours(1)).build());
    v.gs.subscribe(TOPIC, v::onMessage);
    await().atMost(WAIT).until(() -> v.gs.heartbeats() >= 1); // the first one runs soon after start
    List<RawPubsubPeer> ps = new ArrayList<>();
    Rpc subAndGraft = RawPubsubPeer.subscribe(TOPIC);
    subAndGraft.control().graft().add(TOPIC);
    for (int i = 0; i < 5; i++) {
      RawPubsubPeer p = raw(GossipSub.MESHSUB_V11, true);
      // we dial them: GRAFTs from outbound peers are accepted even above Dhi, so the heartbeat must trim
      v.host.dial(p.host.listenAddresses().get(0).withPeerId(p.host.peerId())).get(10, TimeUnit.SECONDS);
      // the raw peer must reuse that connection: if its side is not up yet it dials a second one,
      // inbound to v, and a GRAFT arriving on that one is refused at Dhi
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
    // each pruned peer is told to back off for the configured 60 s
    assertThat(ps.stream().flatMap(p -> p.received.stream()).flatMap(r -> r.control().prune().stream()))
        .allSatisfy(pr -> assertThat(pr.backoffSeconds()).isEqualTo(60));
  }

  @Test
  void publishingWithoutSubscribingUsesFanout() throws Exception {
    JavaNode v = node(GossipSubConfig.builder().floodPublish(false).build());
    JavaNode a = node(GossipSubConfig.defaults());
    a.gs.subscribe(TOPIC, a::onMessage);
    a.host.dial(v.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> v.gs.topicPeers(TOPIC).contains(a.peerId()));
    assertThat(v.gs.publish(TOPIC, utf8("fanout"))).isEqualTo(1);
    await().atMost(WAIT).until(() -> a.texts().contains("fanout"));
  }

  @Test
  void unsubscribingPrunesTheMeshWithABackoff() throws Exception {
    JavaNode v = node(GossipSubConfig.defaults());
    v.gs.subscribe(TOPIC, v::onMessage);
    RawPubsubPeer p = raw(GossipSub.MESHSUB_V12, true);
    p.connect(v.address(), GossipSub.MESHSUB_V12);
    Rpc subAndGraft = RawPubsubPeer.subscribe(TOPIC);
    subAndGraft.control().graft().add(TOPIC);
    p.send(subAndGraft);
    await().atMost(WAIT).until(() -> v.gs.meshPeers(TOPIC).contains(p.host.peerId()));
    v.gs.unsubscribe(TOPIC);
    await().atMost(WAIT).until(() -> p.received.stream().anyMatch(r -> r.control().prune().stream()
        .anyMatch(pr -> pr.backoffSeconds() == 10)) && p.received.stream()
        .anyMatch(r -> r.subscriptions().contains(new Rpc.Subscription(false, TOPIC))));
  }

  @Test
  void aMeshsub10PeerIsPrunedWithoutTheBackoffFieldItDoesNotKnow() throws Exception {
    JavaNode v = node(GossipSubConfig.defaults());
    v.gs.subscribe(TOPIC, v::onMessage);
    RawPubsubPeer p = raw(GossipSub.MESHSUB_V10, true);
    p.connect(v.address(), GossipSub.MESHSUB_V10);
    Rpc subAndGraft = RawPubsubPeer.subscribe(TOPIC);
    subAndGraft.control().graft().add(TOPIC);
    p.send(subAndGraft);
    await().atMost(WAIT).until(() -> v.gs.meshPeers(TOPIC).contains(p.host.peerId()));
    assertThat(v.gs.protocolOf(p.host.peerId())).isEqualTo(GossipSub.MESHSUB_V10);
    v.gs.unsubscribe(TOPIC);
    await().atMost(WAIT).until(() -> p.received.stream().anyMatch(r -> !r.control().prune().isEmpty()));
    assertThat(p.received.stream().flatMap(r -> r.control().prune().stream()))
        .allSatisfy(pr -> assertThat(pr.backoffSeconds()).isZero());
  }

  @Test
  void aPruneAnsweringAGraftThatArrivesBeforeOurOwnStreamIsOpenStillReachesThePeer() throws Exception {
    JavaNode v = node(GossipSubConfig.defaults());
    v.gs.subscribe(TOPIC, v::onMessage);
    for (int i = 0; i < 5; i++) {
      RawPubsubPeer p = raw(GossipSub.MESHSUB_V11, true);
      p.connect(v.address(), GossipSub.MESHSUB_V11);
      // sent at once, usually before the router has opened its stream back to us
      Rpc graft = Rpc.empty();
      graft.control().graft().add("not-subscribed-" + i);
      p.send(graft);
      String topic = "not-subscribed-" + i;
      await().atMost(WAIT).until(() -> p.received.stream()
          .anyMatch(r -> r.control().prune().stream().anyMatch(pr -> pr.topic().equals(topic))));
    }
  }

  @Test
  void ourOwnPublishGoesThroughTheTopicValidatorAndIsNotSentWhenRefused() throws Exception {
    JavaNode a = node(GossipSubConfig.defaults());
    JavaNode b = node(GossipSubConfig.defaults());
    a.gs.subscribe(TOPIC, a::onMessage);
    b.gs.subscribe(TOPIC, b::onMessage);
    a.gs.setValidator(TOPIC, m -> {
      assertThat(m.receivedFrom()).isNull();
      return new String(m.data(), StandardCharsets.UTF_8).startsWith("bad") ? ValidationResult.REJECT
          : ValidationResult.ACCEPT;
    });
    a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> a.gs.meshPeers(TOPIC).contains(b.peerId()));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.gs.publish(TOPIC, "bad one".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(PublishRejectedException.class)
        .satisfies(e -> assertThat(((PublishRejectedException) e).verdict()).isEqualTo(ValidationResult.REJECT));
    assertThat(a.gs.publish(TOPIC, "good one".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);

    await().atMost(WAIT).until(() -> b.texts().contains("good one"));
    assertThat(b.texts()).doesNotContain("bad one");
    assertThat(a.gs.metric("publish.rejected")).isEqualTo(1);
  }

  @Test
  void subscriptionsToTopicsOutsideTheFilterAreIgnoredAndCounted() throws Exception {
    JavaNode v = node(GossipSubConfig.builder().allowTopics(TOPIC).build());
    v.gs.subscribe(TOPIC, v::onMessage);
    RawPubsubPeer p = raw(GossipSub.MESHSUB_V11, true);
    p.connect(v.address(), GossipSub.MESHSUB_V11);
    Rpc subs = RawPubsubPeer.subscribe("not-allowed");
    subs.subscriptions().add(new Rpc.Subscription(true, TOPIC));
    p.send(subs);

    await().atMost(WAIT).until(() -> v.gs.topicPeers(TOPIC).contains(p.host.peerId()));
    assertThat(v.gs.topicPeers("not-allowed")).isEmpty();
    assertThat(v.gs.metric("subscription.filtered")).isEqualTo(1);
  }
}
