package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipSubConfigTest {
  @Test
  void defaultsFollowJs() {
    GossipSubConfig c = GossipSubConfig.defaults();
    assertThat(new int[] {c.d(), c.dlo(), c.dhi(), c.dscore(), c.dout(), c.dlazy()}).containsExactly(6, 4, 12, 4, 2, 6);
    assertThat(c.floodPublish()).isTrue();
    assertThat(c.messageIdFunction()).isSameAs(MessageIdFunction.FROM_SEQNO);
    assertThat(GossipSubConfig.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build().messageIdFunction())
        .isSameAs(MessageIdFunction.SHA256_DATA);
  }

  @Test
  void algorandDegreesFollowTheOutgoingPeerCount() {
    assertThat(degrees(GossipSubConfig.builder().algorandDegree(12).build())).containsExactly(8, 6, 12, 6, 3, 12);
    assertThat(degrees(GossipSubConfig.builder().algorandDegree(4).build())).containsExactly(4, 2, 4, 1, 1, 4);
    assertThat(degrees(GossipSubConfig.builder().algorandDegree(0).build())).containsExactly(0, 0, 0, 0, 0, 0);
    // n = 9: D = 9 - 3 = 6, Dlo = Dscore = 4, Dout = 2, Dhi = Dlazy = 9
    GossipSubConfig c = GossipSubConfig.builder().algorandDegree(9).build();
    assertThat(degrees(c)).containsExactly(6, 4, 9, 4, 2, 9);
    assertThat(c.mcacheLength()).isEqualTo(10);
    assertThat(c.gossipFactor()).isEqualTo(0.1);
  }

  @Test
  void theAlgorandPresetAcceptsSubscriptionsOnlyForItsTopicAndAtMost100PerRpc() {
    GossipSubConfig c = GossipSubConfig.builder().algorand("algotx01", 8).build();
    assertThat(c.subscriptionFilter().test("algotx01")).isTrue();
    assertThat(c.subscriptionFilter().test("something-else")).isFalse();
    assertThat(c.maxSubscriptionsPerRpc()).isEqualTo(100);
    assertThat(c.limits().maxSubscriptions()).as("the decoder's bound, not go's filter limit").isEqualTo(5000);
    assertThat(GossipSubConfig.defaults().subscriptionFilter().test("anything")).isTrue();
    assertThat(GossipSubConfig.defaults().maxSubscriptionsPerRpc()).isZero();
  }

  @Test
  void theAlgorandPresetSetsEveryParameterOfMakePubSubAndSubscribe() {
    GossipSubConfig c = GossipSubConfig.builder().algorand(GossipSubConfig.ALGORAND_TX_TOPIC, 12).build();
    assertThat(GossipSubConfig.ALGORAND_TX_TOPIC).isEqualTo("algotx01");
    assertThat(c.signaturePolicy()).isEqualTo(SignaturePolicy.STRICT_NO_SIGN);
    assertThat(c.messageIdFunction()).isSameAs(MessageIdFunction.BLAKE2B_256_DATA);
    assertThat(new int[] {c.validationWorkers(), c.validationQueueSize(), c.subscriptionBufferSize()})
        .containsExactly(20, 256, 32768);
    assertThat(degrees(c)).containsExactly(8, 6, 12, 6, 3, 12);
    assertThat(c.directConnectInitialDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.iwantFollowupTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.mcacheLength()).as("HistoryLength").isEqualTo(10);
    assertThat(c.mcacheGossip()).as("HistoryGossip, go's default").isEqualTo(3);
    assertThat(c.gossipFactor()).isEqualTo(0.1);
    assertThat(c.doPx()).isFalse();
    assertThat(c.validateOwnMessages()).isFalse();
    assertThat(c.thresholds()).isEqualTo(new PeerScoreThresholds(-500, -1000, -2500, 1000, 3.5));
    PeerScoreParams sp = c.scoreParams();
    assertThat(sp.appSpecificScore().applyAsDouble(PrivateKey.generate().peerId())).isEqualTo(1000);
    assertThat(sp.appSpecificWeight()).as("left at 0 by go-algorand").isZero();
    assertThat(sp.ipColocationFactorWeight()).isZero();
    assertThat(sp.behaviourPenaltyWeight()).isZero();
    assertThat(sp.decayInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(sp.decayToZero()).isEqualTo(0.01);
    assertThat(sp.retainScore()).isZero();
    TopicScoreParams tx = sp.topic("algotx01");
    assertThat(tx.topicWeight()).isEqualTo(0.1);
    assertThat(tx.timeInMeshWeight()).isEqualTo(0.0002778);
    assertThat(tx.timeInMeshQuantum()).isEqualTo(Duration.ofSeconds(1));
    assertThat(tx.timeInMeshCap()).isEqualTo(1);
    assertThat(tx.firstMessageDeliveriesWeight()).isEqualTo(0.5);
    assertThat(tx.firstMessageDeliveriesCap()).isEqualTo(100);
    assertThat(Math.pow(tx.firstMessageDeliveriesDecay(), 600)).isCloseTo(0.01, within(1e-6));
    assertThat(tx.invalidMessageDeliveriesWeight()).isEqualTo(-1000);
    assertThat(Math.pow(tx.invalidMessageDeliveriesDecay(), 3600)).isCloseTo(0.01, within(1e-6));
    assertThat(tx.meshMessageDeliveriesWeight()).isZero();
    assertThat(tx.meshFailurePenaltyWeight()).isZero();
  }

  @Test
  void goLibp2pDefaultsForTheNewerParameters() {
    GossipSubConfig c = GossipSubConfig.defaults();
    assertThat(c.directConnectInitialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.iwantFollowupTime()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.subscriptionBufferSize()).isEqualTo(32);
    assertThat(c.validateOwnMessages()).isTrue();
    assertThatThrownBy(() -> GossipSubConfig.builder().iwantFollowupTime(Duration.ZERO).build())
        .hasMessageContaining("iwantFollowupTime");
    assertThatThrownBy(() -> GossipSubConfig.builder().directConnectInitialDelay(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("directConnectInitialDelay");
    assertThatThrownBy(() -> GossipSubConfig.builder().maxSubscriptionsPerRpc(-1).build())
        .hasMessageContaining("maxSubscriptionsPerRpc");
    assertThatThrownBy(() -> GossipSubConfig.builder().subscriptionBufferSize(0).build())
        .hasMessageContaining("subscriptionBufferSize");
  }

  @Test
  void inconsistentDegreesAreRefused() {
    assertThatThrownBy(() -> GossipSubConfig.builder().degree(6, 7, 12, 4, 2, 6).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GossipSubConfig.builder().messageCache(2, 3).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void peerExchangeIsOffAndDirectPeeringEmptyByDefaultWithGosTicksAndPrunePeers() {
    GossipSubConfig c = GossipSubConfig.defaults();
    assertThat(c.doPx()).isFalse();
    assertThat(c.prunePeers()).isEqualTo(16);
    assertThat(c.directConnectTicks()).isEqualTo(300);
    assertThat(c.directPeers()).isEmpty();
    assertThat(c.limits().maxPxPeers()).isEqualTo(16);
    assertThat(c.thresholds().acceptPx()).isEqualTo(10);
  }

  @Test
  void directPeerAddressesAreGroupedByPeerAndMustNameOne() {
    PeerId a = PrivateKey.generate().peerId();
    PeerId b = PrivateKey.generate().peerId();
    GossipSubConfig c = GossipSubConfig.builder().directPeers(List.of(
        Multiaddr.fromString("/ip4/10.0.0.1/tcp/4001/p2p/" + a),
        Multiaddr.fromString("/ip4/10.0.0.2/tcp/4001/p2p/" + b),
        Multiaddr.fromString("/ip6/::1/tcp/4001/p2p/" + a))).build();
    assertThat(c.directPeers()).extracting(DirectPeer::id).containsExactly(a, b);
    assertThat(c.directPeers().get(0).addresses()).hasSize(2);
    assertThat(c.directPeers().get(0).dialAddresses()).allSatisfy(m -> assertThat(m.peerId()).contains(a));
    assertThatThrownBy(() -> GossipSubConfig.builder()
        .directPeers(List.of(Multiaddr.fromString("/ip4/10.0.0.1/tcp/1"))))
        .hasMessageContaining("/p2p/");
    assertThatThrownBy(() -> new DirectPeer(a, List.of(Multiaddr.fromString("/ip4/10.0.0.1/tcp/1/p2p/" + b))))
        .hasMessageContaining("another peer");
    assertThatThrownBy(() -> GossipSubConfig.builder().directConnectTicks(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int[] degrees(GossipSubConfig c) {
    return new int[] {c.d(), c.dlo(), c.dhi(), c.dscore(), c.dout(), c.dlazy()};
  }
}
