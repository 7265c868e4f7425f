package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerScoreTest {
  private static final String T = "t";
  private final PeerId a = PrivateKey.generate().peerId();

  private static TopicScoreParams topic(double timeInMeshWeight, double firstWeight, double meshWeight,
      double meshThreshold, Duration activation, double failureWeight, double invalidWeight) {
    return new TopicScoreParams(2, timeInMeshWeight, Duration.ofMillis(1), 1000, firstWeight, 0.5, 10, meshWeight, 0.5,
        meshThreshold, 20, activation, Duration.ofSeconds(1), failureWeight, 0.5, invalidWeight, 0.5);
  }

  private static PeerScoreParams params(TopicScoreParams tp, double ipWeight, int ipThreshold) {
    return new PeerScoreParams(Map.of(T, tp), null, 0, 3, ipWeight, ipThreshold, -1, 2, 0.5, Duration.ofSeconds(1),
        0.01);
  }

  private static MessageKey id(int i) {
    return new MessageKey(new byte[] {(byte) i});
  }

  @Test
  void firstDeliveriesAreRewardedUpToTheCapTimesTheTopicWeight() {
    PeerScore s = new PeerScore(params(topic(0, 1, 0, 0, Duration.ofHours(1), 0, 0), 0, 1));
    s.addPeer(a, "10.0.0.1");
    for (int i = 0; i < 15; i++) {
      s.deliver(a, id(i), T, false);
    }
    assertThat(s.score(a)).isEqualTo(2 * 10); // cap 10, topic weight 2
    s.decay();
    assertThat(s.score(a)).isEqualTo(2 * 5); // decay 0.5
  }

  @Test
  void invalidMessagesCountSquaredAndDecay() {
    PeerScore s = new PeerScore(params(topic(0, 0, 0, 0, Duration.ofHours(1), 0, -1), 0, 1));
    s.addPeer(a, null);
    s.reject(a, T);
    s.reject(a, T);
    s.reject(a, T);
    assertThat(s.score(a)).isEqualTo(2 * -9.0);
    s.decay();
    assertThat(s.score(a)).isEqualTo(2 * -1.5 * 1.5);
    s.reject(a, "unscored-topic");
    assertThat(s.score(a)).isEqualTo(2 * -1.5 * 1.5);
  }

  @Test
  void timeInMeshGrowsWhileGrafted() throws Exception {
    PeerScore s = new PeerScore(params(topic(0.01, 0, 0, 0, Duration.ofHours(1), 0, 0), 0, 1));
    s.addPeer(a, null);
    s.graft(a, T);
    Thread.sleep(50);
    assertThat(s.score(a)).isGreaterThan(2 * 0.01 * 40).isLessThanOrEqualTo(2 * 0.01 * 1000);
    s.prune(a, T);
    assertThat(s.score(a)).isZero();
  }

  @Test
  void aMeshDeliveryDeficitIsPenalisedOnceActiveAndStaysAfterPruneAsP3b() throws Exception {
    PeerScore s = new PeerScore(params(topic(0, 0, -1, 4, Duration.ZERO, -1, 0), 0, 1));
    s.addPeer(a, null);
    s.graft(a, T);
    s.deliver(a, id(1), T, true);
    assertThat(s.score(a)).isZero(); // not active yet
    s.decay(); // activates P3 (activation 0), decays deliveries 1 -> 0.5
    assertThat(s.score(a)).isCloseTo(2 * -(3.5 * 3.5), within(1e-9));
    s.prune(a, T);
    assertThat(s.score(a)).isCloseTo(2 * -(3.5 * 3.5), within(1e-9)); // now as the sticky P3b
  }

  @Test
  void aLateDuplicateFromAMeshPeerStillCountsWithinTheWindow() {
    PeerScore s = new PeerScore(params(topic(0, 0, -1, 2, Duration.ZERO, 0, 0), 0, 1));
    PeerId b = PrivateKey.generate().peerId();
    s.addPeer(a, null);
    s.addPeer(b, null);
    s.graft(a, T);
    s.graft(b, T);
    s.decay(); // activate
    s.deliver(a, id(1), T, true);
    s.duplicate(b, id(1), T, true);
    s.duplicate(b, id(1), T, true); // the same peer twice counts once
    assertThat(s.score(a)).isCloseTo(2 * -1.0, within(1e-9));
    assertThat(s.score(b)).isCloseTo(2 * -1.0, within(1e-9));
  }

  @Test
  void applicationIpColocationAndBehaviourTermsAdd() {
    PeerScore s = new PeerScore(params(topic(0, 0, 0, 0, Duration.ofHours(1), 0, 0), -1, 2));
    s.setAppScore(p -> 5);
    s.addPeer(a, "10.0.0.1");
    assertThat(s.score(a)).isEqualTo(15); // app weight 3
    for (int i = 0; i < 3; i++) {
      s.addPeer(PrivateKey.generate().peerId(), "10.0.0.1");
    }
    assertThat(s.score(a)).isEqualTo(15 - 4); // 4 peers on the IP, 2 free: surplus 2 squared
    s.penalise(a, 5);
    assertThat(s.score(a)).isEqualTo(15 - 4 - 9); // penalty 5, threshold 2, weight -1
    s.decay();
    assertThat(s.score(a)).isEqualTo(15 - 4 - 0.25); // penalty 2.5 after decay 0.5
  }

  @Test
  void theApplicationScoreOfTheParametersAppliesUntilTheRouterReplacesIt() {
    PeerScoreParams p = new PeerScoreParams(Map.of(), null, 0, peer -> peer.equals(a) ? 7 : 1, 2, 0, 1, 0, 0, 0,
        Duration.ofSeconds(1), 0.01, Duration.ZERO);
    PeerScore s = new PeerScore(p);
    s.addPeer(a, null);
    assertThat(s.score(a)).isEqualTo(14);
    assertThat(s.score(PrivateKey.generate().peerId())).isEqualTo(2);
    s.setAppScore(peer -> -1);
    assertThat(s.score(a)).isEqualTo(-2);
  }

  @Test
  void underGoAlgorandsParametersTheApplicationScoreOf1000AddsNothingAndBehaviourIsNotPenalised() {
    PeerScore s = new PeerScore(PeerScoreParams.algorand("algotx01"));
    s.addPeer(a, "10.0.0.1");
    s.penalise(a, 50);
    assertThat(s.score(a)).isZero();
    s.deliver(a, id(1), "algotx01", false);
    assertThat(s.score(a)).isEqualTo(0.1 * 0.5); // topic weight x first-delivery weight
  }

  @Test
  void timeInMeshCountsWholeQuantaAsGoDoes() {
    TopicScoreParams tp = new TopicScoreParams(1, 1, Duration.ofHours(1), 10, 0, 0, 0, 0, 0, 0, 0,
        Duration.ofSeconds(5), Duration.ofMillis(10), 0, 0, 0, 0);
    PeerScore s = new PeerScore(params(tp, 0, 1));
    s.addPeer(a, null);
    s.graft(a, T);
    assertThat(s.score(a)).as("less than one hour in the mesh is no quantum yet").isZero();
  }

  @Test
  void aDisconnectedPeersCountersAreKeptForRetainScoreThenForgotten() {
    TopicScoreParams tp = topic(0, 0, 0, 0, Duration.ofHours(1), 0, -1);
    PeerScore kept = new PeerScore(new PeerScoreParams(Map.of(T, tp), null, 0, p -> 0, 0, 0, 1, 0, 0, 0,
        Duration.ofSeconds(1), 0.01, Duration.ofHours(1)));
    PeerScore forgotten = new PeerScore(new PeerScoreParams(Map.of(T, tp), null, 0, p -> 0, 0, 0, 1, 0, 0, 0,
        Duration.ofSeconds(1), 0.01, Duration.ZERO));
    for (PeerScore s : java.util.List.of(kept, forgotten)) {
      s.addPeer(a, null);
      s.reject(a, T);
      s.removePeer(a);
      s.decay();
    }
    assertThat(kept.score(a)).isNegative();
    assertThat(forgotten.score(a)).isZero();
  }

  @Test
  void behaviourDecayIsCheckedOnlyWhenTheBehaviourWeightIsSet() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PeerScoreParams(Map.of(), null, 0, 1, 0, 1, -1, 0,
        0, Duration.ofSeconds(1), 0.01)).hasMessageContaining("behaviourPenaltyDecay");
    assertThat(new PeerScoreParams(Map.of(), null, 0, 1, 0, 1, 0, 0, 0, Duration.ofSeconds(1), 0.01)
        .retainScore()).isEqualTo(PeerScoreParams.DEFAULT_RETAIN_SCORE);
  }

  @Test
  void algorandPresetMatchesTheSeed() {
    GossipSubConfig c = GossipSubConfig.builder().algorand("algotx01", 12).build();
    assertThat(c.signaturePolicy()).isEqualTo(SignaturePolicy.STRICT_NO_SIGN);
    assertThat(c.messageIdFunction()).isSameAs(MessageIdFunction.BLAKE2B_256_DATA);
    assertThat(c.validationWorkers()).isEqualTo(20);
    assertThat(c.thresholds()).isEqualTo(new PeerScoreThresholds(-500, -1000, -2500, 1000, 3.5));
    TopicScoreParams tx = c.scoreParams().topic("algotx01");
    assertThat(tx.topicWeight()).isEqualTo(0.1);
    assertThat(tx.invalidMessageDeliveriesWeight()).isEqualTo(-1000);
    assertThat(c.scoreParams().topic("other")).isNull();
    // decay to 1 % over an hour of 1 s ticks
    assertThat(Math.pow(tx.invalidMessageDeliveriesDecay(), 3600)).isCloseTo(0.01, within(1e-6));
  }
}
