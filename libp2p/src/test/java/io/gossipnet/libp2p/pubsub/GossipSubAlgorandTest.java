package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.testing.CloseAfterEach;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router parameters go-algorand's {@code makePubSub} and {@code Subscribe} set, each acted
 * upon: own messages accepted unvalidated, the allow-list for our own topics, the per-RPC
 * subscription limit, the subscription buffer, IWANT follow-up and the direct-connect delay.
 */
class GossipSubAlgorandTest {
  private static final String TX = GossipSubConfig.ALGORAND_TX_TOPIC;
  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private JavaNode node(GossipSubConfig config) throws Exception {
    return closeables.add(new JavaNode(config));
  }

  private RawPubsubPeer raw() throws Exception {
    return closeables.add(new RawPubsubPeer(GossipSub.MESHSUB_V11, true));
  }

  /** go-algorand's preset with a fast heartbeat, so that tests need not wait seconds for one. */
  private static GossipSubConfig.Builder algorand() {
    return GossipSubConfig.builder().algorand(TX, 8).heartbeatInterval(Duration.ofMillis(100));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Rpc.WireMessage unsigned(String topic, String data) {
    return new Rpc.WireMessage(null, utf8(data), null, topic, null, null);
  }

  @Test
  void ourOwnMessagesAreAcceptedWithoutCallingTheValidatorWhileReceivedOnesAreValidated() throws Exception {
    JavaNode a = node(algorand().build());
    JavaNode b = node(algorand().build());
    AtomicInteger calls = new AtomicInteger();
    for (JavaNode n : List.of(a, b)) {
      n.gs.setValidator(TX, m -> {
        calls.incrementAndGet();
        return new String(m.data(), StandardCharsets.UTF_8).startsWith("bad") ? ValidationResult.REJECT
            : ValidationResult.ACCEPT;
      });
      n.gs.subscribe(TX, n::onMessage);
    }
    a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> a.gs.meshPeers(TX).contains(b.peerId()));
    a.gs.publish(TX, utf8("bad but ours")); // a would reject it from a peer
    await().atMost(WAIT).until(() -> b.gs.metric("msg.rejected") == 1);
    assertThat(calls).as("only b's validator ran").hasValue(1);
    assertThat(a.gs.metric("publish.rejected")).isZero();
    a.gs.publish(TX, utf8("good"));
    await().atMost(WAIT).until(() -> b.texts().contains("good"));
    assertThat(calls).hasValue(2);
    // the default (go-libp2p's) still validates own publishes
    assertThat(GossipSubConfig.defaults().validateOwnMessages()).isTrue();
  }

  @Test
  void weMayNeitherSubscribeNorPublishToATopicOutsideTheAllowList() throws Exception {
    JavaNode a = node(algorand().build());
    assertThatThrownBy(() -> a.gs.subscribe("algoblk01", m -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not allowed by the subscription filter");
    assertThatThrownBy(() -> a.gs.subscribe("algoblk01")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.gs.publish("algoblk01", utf8("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(a.gs.metric("msg.published")).isZero();
  }

  @Test
  void anRpcWithMoreSubscriptionsThanTheLimitIsIgnoredWholeAndUnpenalised() throws Exception {
    JavaNode v = node(GossipSubConfig.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
        .maxSubscriptionsPerRpc(3).build());
    v.gs.subscribe(TX, v::onMessage);
    RawPubsubPeer p = raw();
    p.connect(v.address(), GossipSub.MESHSUB_V11);
    Rpc tooMany = RawPubsubPeer.subscribe(TX);
    for (int i = 0; i < 3; i++) {
      tooMany.subscriptions().add(new Rpc.Subscription(true, "other" + i));
    }
    tooMany.messages().add(unsigned(TX, "in the ignored RPC"));
    p.send(tooMany);
    await().atMost(WAIT).until(() -> v.gs.metric("subscription.tooMany") == 1);
    assertThat(v.gs.topicPeers(TX)).isEmpty();
    assertThat(v.gs.metric("msg.received")).isZero();
    assertThat(v.gs.score(p.host.peerId())).isZero();

    Rpc atTheLimit = RawPubsubPeer.subscribe(TX);
    atTheLimit.subscriptions().add(new Rpc.Subscription(true, "other0"));
    atTheLimit.subscriptions().add(new Rpc.Subscription(true, "other1"));
    atTheLimit.messages().add(unsigned(TX, "in an accepted RPC"));
    p.send(atTheLimit);
    await().atMost(WAIT).until(() -> v.texts().contains("in an accepted RPC"));
    assertThat(v.gs.topicPeers(TX)).contains(p.host.peerId());
    assertThat(v.texts()).doesNotContain("in the ignored RPC");
  }

  @Test
  void aFullSubscriptionBufferDropsForThatReaderOnlyAndTheMessageIsStillForwarded() throws Exception {
    GossipSubConfig c = GossipSubConfig.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
        .floodPublish(false).subscriptionBufferSize(2).heartbeatInterval(Duration.ofMillis(100)).build();
    JavaNode a = node(c);
    JavaNode b = node(c);
    JavaNode z = node(c);
    a.gs.subscribe(TX, a::onMessage);
    Subscription sub = b.gs.subscribe(TX); // nobody reads it yet
    z.gs.subscribe(TX, z::onMessage);
    a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
    b.host.dial(z.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> b.gs.meshPeers(TX).containsAll(List.of(a.peerId(), z.peerId())));
    for (int i = 0; i < 4; i++) {
      a.gs.publish(TX, utf8("tx" + i));
    }
    await().atMost(WAIT).until(() -> z.texts().size() == 4); // b forwarded every one
    await().atMost(WAIT).until(() -> sub.dropped() == 2);
    assertThat(sub.buffered()).isEqualTo(2);
    assertThat(b.gs.metric("subscription.dropped")).isEqualTo(2);
    // validation workers run in parallel: which two were kept depends on who was first
    String first = new String(sub.next().data(), StandardCharsets.UTF_8);
    String second = new String(sub.next(Duration.ofSeconds(1)).data(), StandardCharsets.UTF_8);
    assertThat(List.of(first, second)).doesNotHaveDuplicates().allMatch(t -> t.matches("tx[0-3]"));
    assertThat(sub.next(Duration.ofMillis(50))).as("nothing more within the timeout").isNull();

    sub.cancel();
    assertThatThrownBy(sub::next).isInstanceOf(CancellationException.class);
    await().atMost(WAIT).until(() -> !a.gs.topicPeers(TX).contains(b.peerId()));
    assertThat(b.gs.meshPeers(TX)).isEmpty();
  }

  @Test
  void subscribingAgainCancelsTheReplacedSubscriptionAndWakesItsReader() throws Exception {
    JavaNode a = node(algorand().build());
    Subscription first = a.gs.subscribe(TX);
    assertThat(GossipSubConfig.builder().algorand(TX, 8).build().subscriptionBufferSize()).isEqualTo(32768);
    Thread reader = Thread.ofVirtual().start(() -> {
      try {
        first.next();
      } catch (CancellationException | InterruptedException expected) {
        // woken by the replacement
      }
    });
    Subscription second = a.gs.subscribe(TX);
    assertThat(reader.join(Duration.ofSeconds(10))).isTrue();
    assertThat(first.isCancelled()).isTrue();
    first.cancel(); // no longer the topic's subscription: the topic stays subscribed
    assertThat(second.isCancelled()).isFalse();
    assertThatThrownBy(() -> a.gs.subscribe(TX, 0)).hasMessageContaining("bufferSize");
  }

  @Test
  void aPeerThatAdvertisesAMessageButNeverDeliversItIsPenalisedAfterTheFollowupTime() throws Exception {
    JavaNode v = node(GossipSubConfig.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
        .iwantFollowupTime(Duration.ofMillis(300)).heartbeatInterval(Duration.ofMillis(100)).build());
    v.gs.subscribe(TX, v::onMessage);
    RawPubsubPeer liar = raw();
    RawPubsubPeer honest = raw();
    for (RawPubsubPeer p : List.of(liar, honest)) {
      p.connect(v.address(), GossipSub.MESHSUB_V11);
      p.send(RawPubsubPeer.subscribe(TX));
    }
    await().atMost(WAIT).until(() -> v.gs.topicPeers(TX).containsAll(List.of(liar.host.peerId(),
        honest.host.peerId())));
    Rpc.WireMessage kept = unsigned(TX, "delivered");
    byte[] keptId = MessageIdFunction.SHA256_DATA.messageId(null, null, null, kept.data());
    Rpc liarIHave = Rpc.empty();
    liarIHave.control().ihave().add(new Rpc.IHave(TX, List.of(new byte[] {9, 9, 9})));
    liar.send(liarIHave);
    Rpc honestIHave = Rpc.empty();
    honestIHave.control().ihave().add(new Rpc.IHave(TX, List.of(keptId)));
    honest.send(honestIHave);
    await().atMost(WAIT).until(() -> honest.received.stream().anyMatch(r -> !r.control().iwant().isEmpty())
        && liar.received.stream().anyMatch(r -> !r.control().iwant().isEmpty()));
    honest.send(RawPubsubPeer.messages(kept));

    await().atMost(WAIT).until(() -> v.gs.metric("iwant.brokenPromise") == 1);
    assertThat(v.gs.score(liar.host.peerId())).isNegative(); // behaviour penalty, weight -10
    assertThat(v.texts()).containsExactly("delivered");
    long h = v.gs.heartbeats();
    await().atMost(WAIT).until(() -> v.gs.heartbeats() >= h + 5); // well past the follow-up time
    assertThat(v.gs.metric("iwant.brokenPromise")).isEqualTo(1);
    assertThat(v.gs.score(honest.host.peerId())).isNotNegative();
  }

  @Test
  void directPeersAreFirstDialledOnlyAfterTheInitialDelay() throws Exception {
    Host target = closeables.add(JavaNode.newHost());
    Multiaddr address = target.listenAddresses().get(0).withPeerId(target.peerId());
    Duration delay = Duration.ofMillis(1500);
    long started = System.nanoTime();
    JavaNode a = node(GossipSubConfig.builder().directPeers(List.of(address)).directConnectInitialDelay(delay).build());
    await().atMost(WAIT).until(() -> a.connectedTo(target.peerId()));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(delay);
    assertThat(a.gs.metric("direct.dialed")).isEqualTo(1);
    assertThat(GossipSubConfig.builder().algorand(TX, 8).build().directConnectInitialDelay())
        .isEqualTo(Duration.ofSeconds(30));
  }
}
