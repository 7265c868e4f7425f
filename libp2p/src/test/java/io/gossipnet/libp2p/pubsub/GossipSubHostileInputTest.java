package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.encoding.Varint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A router under attack by a hand-driven peer: each bad input is rejected, counted and scored,
 * and an honest peer's messages keep arriving afterwards.
 */
class GossipSubHostileInputTest {
  private static final String TOPIC = "t";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private JavaNode victim;
  private JavaNode honest;
  private RawPubsubPeer attacker;
  private final PrivateKey attackerKey = PrivateKey.generate();
  private int honestSent;

  @BeforeEach
  void start() throws Exception {
    GossipSubConfig config = GossipSubConfig.builder().maxRpcSize(64 * 1024)
        .limits(100, 100, 50, 50, 20, 10).build();
    victim = new JavaNode(config);
    victim.gs.subscribe(TOPIC, victim::onMessage);
    honest = new JavaNode(GossipSubConfig.defaults());
    honest.gs.subscribe(TOPIC, honest::onMessage);
    honest.host.dial(victim.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> victim.gs.meshPeers(TOPIC).contains(honest.peerId()));
    attacker = new RawPubsubPeer(GossipSub.MESHSUB_V11, true);
    attacker.connect(victim.address(), GossipSub.MESHSUB_V11);
    attacker.send(RawPubsubPeer.subscribe(TOPIC));
    await().atMost(WAIT).until(() -> victim.gs.topicPeers(TOPIC).contains(attacker.host.peerId()));
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {attacker, honest, victim}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /** The honest peer publishes; the victim must deliver it. */
  private void honestMessageStillArrives() {
    String text = "honest-" + (++honestSent);
    honest.gs.publish(TOPIC, text.getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> victim.texts().contains(text));
  }

  @Test
  void anOversizedRpcIsRefusedBeforeItIsReadAndTheStreamReset() throws Exception {
    // announce 10 MiB; send only the length prefix: the victim must not wait for or allocate the body
    attacker.sendBytes(Varint.encode(10L << 20));
    await().atMost(WAIT).until(() -> victim.gs.metric("rpc.oversized") == 1);
    assertThat(victim.gs.score(attacker.host.peerId())).isNegative();
    honestMessageStillArrives();
  }

  @Test
  void aPeerOpeningMorePubsubStreamsThanOneHasEachOlderOneResetAndTheOtherPeerIsServed() throws Exception {
    // Each stream announces an RPC of 60 kB and sends half of it: a router that read them all
    // would hold 30 kB per stream, up to the host's stream limit per connection.
    Connection c = attacker.host.connections(victim.peerId()).get(0);
    java.util.List<Stream> flood = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Stream s = c.newStream(GossipSub.MESHSUB_V11).get(10, TimeUnit.SECONDS);
      s.out().write(Varint.encode(60_000));
      s.out().write(new byte[30_000]);
      s.out().flush();
      flood.add(s);
    }
    await().atMost(WAIT).until(() -> victim.gs.metric("stream.inboundReplaced") == 20);
    // the victim holds the newest inbound stream and its own outbound one (and at most a short-lived identify push)
    assertThat(victim.host.connections(attacker.host.peerId()).get(0).streamCount()).isLessThanOrEqualTo(3);
    assertThatThrownBy(() -> attacker.stream().in().read()).hasMessageContaining("reset by remote");
    assertThatThrownBy(() -> flood.get(0).in().read()).hasMessageContaining("reset by remote");
    honestMessageStillArrives();
  }

  @Test
  void aPeerAskingForTheSameMessageOverAndOverIsServedItThreeTimesAndTheOtherPeerIsServed() throws Exception {
    Rpc.WireMessage m = RawPubsubPeer.signed(attackerKey, TOPIC, "wanted", 5);
    attacker.send(RawPubsubPeer.messages(m));
    await().atMost(WAIT).until(() -> victim.texts().contains("wanted"));
    byte[] id = MessageIdFunction.FROM_SEQNO.messageId(m.from(), m.key(), m.seqno(), m.data());
    for (int i = 0; i < 10; i++) {
      Rpc iwant = Rpc.empty();
      iwant.control().iwant().add(id);
      attacker.send(iwant);
    }
    await().atMost(WAIT).until(() -> victim.gs.metric("iwant.received") == 10);
    assertThat(victim.gs.metric("iwant.overLimit")).isEqualTo(7);
    await().atMost(WAIT).until(() -> servedToAttacker("wanted") == 3);
    honestMessageStillArrives();
    assertThat(servedToAttacker("wanted")).as("no more than three copies for one peer").isEqualTo(3);
  }

  private long servedToAttacker(String text) {
    return attacker.received.stream().flatMap(r -> r.messages().stream())
        .filter(w -> new String(w.data(), StandardCharsets.UTF_8).equals(text)).count();
  }

  @Test
  void aMalformedRpcIsDroppedAndCounted() throws Exception {
    attacker.sendRaw(new byte[] {0x12, 0x7f, 0x01}); // field 2 claims 127 bytes, has 1
    attacker.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}); // truncated varint tag
    await().atMost(WAIT).until(() -> victim.gs.metric("rpc.malformed") == 2);
    honestMessageStillArrives();
  }

  @Test
  void tooManyIdsInOneControlMessageAreRefused() throws Exception {
    Rpc ihave = Rpc.empty();
    java.util.List<byte[]> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 51; i++) {
      ids.add(new byte[] {(byte) i, 1, 2, 3});
    }
    ihave.control().ihave().add(new Rpc.IHave(TOPIC, ids));
    attacker.send(ihave);
    Rpc idontwant = Rpc.empty();
    for (int i = 0; i < 21; i++) {
      idontwant.control().idontwant().add(new byte[] {(byte) i});
    }
    attacker.send(idontwant);
    await().atMost(WAIT).until(() -> victim.gs.metric("rpc.malformed") == 2);
    assertThat(victim.gs.metric("ihave.received")).isZero();
    assertThat(victim.gs.metric("idontwant.received")).isZero();
    honestMessageStillArrives();
  }

  @Test
  void aForgedSignatureIsRejected() throws Exception {
    Rpc.WireMessage good = RawPubsubPeer.signed(attackerKey, TOPIC, "forged", 1);
    byte[] sig = good.signature().clone();
    sig[0] ^= 1;
    attacker.send(RawPubsubPeer.messages(new Rpc.WireMessage(good.from(), good.data(), good.seqno(), TOPIC, sig,
        good.key())));
    // a valid signature over other data is just as forged
    attacker.send(RawPubsubPeer.messages(new Rpc.WireMessage(good.from(), "other".getBytes(StandardCharsets.UTF_8),
        good.seqno(), TOPIC, good.signature(), good.key())));
    await().atMost(WAIT).until(() -> victim.gs.metric("msg.invalid.signature") == 2);
    assertThat(victim.texts()).doesNotContain("forged", "other");
    assertThat(victim.gs.score(attacker.host.peerId())).isNegative();
    honestMessageStillArrives();
  }

  @Test
  void aKeyThatDoesNotMatchFromIsRejected() throws Exception {
    PrivateKey other = PrivateKey.generate();
    Rpc.WireMessage signedByOther = RawPubsubPeer.signed(other, TOPIC, "impostor", 1);
    // claim to be attackerKey's peer while carrying (and signing with) another key
    Rpc.WireMessage m = new Rpc.WireMessage(attackerKey.peerId().toBytes(), signedByOther.data(),
        signedByOther.seqno(), TOPIC, signedByOther.signature(), signedByOther.key());
    attacker.send(RawPubsubPeer.messages(m));
    await().atMost(WAIT).until(() -> victim.gs.metric("msg.invalid.keyNotFrom") == 1);
    assertThat(victim.texts()).doesNotContain("impostor");
    honestMessageStillArrives();
  }

  @Test
  void unsignedAndShortSeqnoMessagesAreRejectedUnderStrictSign() throws Exception {
    attacker.send(RawPubsubPeer.messages(new Rpc.WireMessage(null, "anon".getBytes(StandardCharsets.UTF_8), null,
        TOPIC, null, null)));
    Rpc.WireMessage good = RawPubsubPeer.signed(attackerKey, TOPIC, "short", 1);
    attacker.send(RawPubsubPeer.messages(new Rpc.WireMessage(good.from(), good.data(), new byte[] {1}, TOPIC,
        good.signature(), good.key())));
    await().atMost(WAIT).until(() -> victim.gs.metric("msg.invalid.seqno") == 2);
    honestMessageStillArrives();
  }

  @Test
  void aDuplicateFloodIsDeliveredOnceAndForwardedOnce() throws Exception {
    Rpc.WireMessage m = RawPubsubPeer.signed(attackerKey, TOPIC, "dup", 7);
    for (int i = 0; i < 100; i++) {
      attacker.send(RawPubsubPeer.messages(m));
    }
    await().atMost(WAIT).until(() -> victim.gs.metric("msg.duplicate") == 99);
    await().atMost(WAIT).until(() -> honest.texts().contains("dup"));
    Thread.sleep(500);
    assertThat(victim.texts()).containsOnlyOnce("dup");
    assertThat(honest.texts()).containsOnlyOnce("dup");
    honestMessageStillArrives();
  }

  @Test
  void aGraftDuringBackoffIsPenalisedAndAnsweredWithPrune() throws Exception {
    Rpc graft = Rpc.empty();
    graft.control().graft().add(TOPIC);
    attacker.send(graft);
    await().atMost(WAIT).until(() -> victim.gs.meshPeers(TOPIC).contains(attacker.host.peerId()));
    Rpc prune = Rpc.empty();
    prune.control().prune().add(new Rpc.Prune(TOPIC, 60));
    attacker.send(prune);
    await().atMost(WAIT).until(() -> !victim.gs.meshPeers(TOPIC).contains(attacker.host.peerId()));
    attacker.send(graft); // within the 60 s backoff we just asked for
    await().atMost(WAIT).until(() -> victim.gs.metric("graft.duringBackoff") == 1);
    assertThat(victim.gs.meshPeers(TOPIC)).doesNotContain(attacker.host.peerId());
    assertThat(victim.gs.score(attacker.host.peerId())).isNegative();
    await().atMost(WAIT).until(() -> attacker.received.stream()
        .flatMap(r -> r.control().prune().stream()).anyMatch(p -> p.topic().equals(TOPIC) && p.backoffSeconds() == 60));
    honestMessageStillArrives();
  }

  @Test
  void messagesForTopicsWeDoNotSubscribeAreDropped() throws Exception {
    attacker.send(RawPubsubPeer.messages(RawPubsubPeer.signed(attackerKey, "elsewhere", "x", 1)));
    await().atMost(WAIT).until(() -> victim.gs.metric("msg.notSubscribed") == 1);
    honestMessageStillArrives();
  }

  @Test
  void aPeerThatKeepsSendingInvalidMessagesIsGraylisted() throws Exception {
    for (int i = 0; i < 3; i++) {
      Rpc.WireMessage m = RawPubsubPeer.signed(attackerKey, TOPIC, "bad" + i, i);
      attacker.send(RawPubsubPeer.messages(new Rpc.WireMessage(m.from(), m.data(), m.seqno(), TOPIC,
          new byte[64], m.key())));
    }
    await().atMost(WAIT).until(() -> victim.gs.metric("msg.invalid.signature") == 3);
    assertThat(victim.gs.score(attacker.host.peerId())).isLessThan(PeerScoreThresholds.defaults().graylist());
    // now even a valid message from it is not looked at
    attacker.send(RawPubsubPeer.messages(RawPubsubPeer.signed(attackerKey, TOPIC, "valid-but-graylisted", 99)));
    await().atMost(WAIT).until(() -> victim.gs.metric("rpc.graylisted") == 1);
    assertThat(victim.texts()).doesNotContain("valid-but-graylisted");
    honestMessageStillArrives();
  }
}
