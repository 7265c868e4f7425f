package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gossipnet.libp2p.pubsub.GossipSubConfig;
import io.gossipnet.libp2p.pubsub.MessageIdFunction;
import io.gossipnet.libp2p.pubsub.PeerScoreParams;
import io.gossipnet.libp2p.pubsub.SignaturePolicy;
import io.gossipnet.libp2p.pubsub.TopicScoreParams;
import io.gossipnet.p2p.GossipSubDerivation.Degrees;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The seed's GossipSub parameters for the transaction topic, as {@link GossipSubConfig}. */
class GossipSubDerivationTest {

  @Test
  void twelveOrMoreOutgoingConnectionsGiveTheLargeOverlay() {
    for (int n : new int[] {12, 13, 100}) {
      assertThat(GossipSubDerivation.degrees(n)).isEqualTo(new Degrees(8, 6, 3, 6, 12, 12));
    }
  }

  @Test
  void noOutgoingConnectionsGiveAllZero() {
    assertThat(GossipSubDerivation.degrees(0)).isEqualTo(new Degrees(0, 0, 0, 0, 0, 0));
    assertThat(GossipSubDerivation.degrees(-3)).isEqualTo(new Degrees(0, 0, 0, 0, 0, 0));
  }

  @Test
  void upToFourOutgoingConnectionsGiveTheMinimalOverlay() {
    for (int n = 1; n <= 4; n++) {
      assertThat(GossipSubDerivation.degrees(n)).isEqualTo(new Degrees(4, 1, 1, 2, 4, 4));
    }
  }

  @Test
  void inBetweenTheDegreesScaleWithTheOutgoingCount() {
    // D = n - n/3, Dlo = Dscore = 3D/4, Dout = 3D/8, Dhi = Dlazy = n
    assertThat(GossipSubDerivation.degrees(5)).isEqualTo(new Degrees(4, 3, 1, 3, 5, 5));
    assertThat(GossipSubDerivation.degrees(6)).isEqualTo(new Degrees(4, 3, 1, 3, 6, 6));
    assertThat(GossipSubDerivation.degrees(8)).isEqualTo(new Degrees(6, 4, 2, 4, 8, 8));
    assertThat(GossipSubDerivation.degrees(9)).isEqualTo(new Degrees(6, 4, 2, 4, 9, 9));
    assertThat(GossipSubDerivation.degrees(11)).isEqualTo(new Degrees(8, 6, 3, 6, 11, 11));
  }

  @Test
  void theDegreesAgreeWithTheLibp2pModulesOwnDerivation() {
    for (int n = -1; n <= 20; n++) {
      Degrees g = GossipSubDerivation.degrees(n);
      GossipSubConfig libp2p = GossipSubConfig.builder().algorandDegree(n).build();
      assertThat(new Degrees(libp2p.d(), libp2p.dscore(), libp2p.dout(), libp2p.dlo(), libp2p.dhi(), libp2p.dlazy()))
          .as("n = %d", n).isEqualTo(g);
    }
  }

  @Test
  void everyOutgoingCountGivesAValidConfiguration() {
    for (int n = -1; n <= 40; n++) {
      GossipSubConfig c = GossipSubDerivation.config(n);
      Degrees g = GossipSubDerivation.degrees(n);
      assertThat(c.d()).isEqualTo(g.d());
      assertThat(c.dlo()).isEqualTo(g.dlo());
      assertThat(c.dhi()).isEqualTo(g.dhi());
      assertThat(c.dscore()).isEqualTo(g.dscore());
      assertThat(c.dout()).isEqualTo(g.dout());
      assertThat(c.dlazy()).isEqualTo(g.dlazy());
    }
  }

  @Test
  void theFixedParametersAreTheSeeds() {
    GossipSubConfig c = GossipSubDerivation.config(8);
    assertThat(c.mcacheLength()).isEqualTo(10);
    assertThat(c.mcacheGossip()).isEqualTo(3);
    assertThat(c.gossipFactor()).isEqualTo(0.1);
    assertThat(c.signaturePolicy()).isEqualTo(SignaturePolicy.STRICT_NO_SIGN);
    assertThat(c.messageIdFunction()).isSameAs(GossipSubDerivation.TX_MESSAGE_ID);
    assertThat(c.validationWorkers()).isEqualTo(20);
    assertThat(c.validationQueueSize()).isEqualTo(256);
    assertThat(c.limits().maxSubscriptions()).isEqualTo(100);
    assertThat(c.doPx()).isFalse();
    assertThat(c.subscriptionFilter().test("algotx01")).isTrue();
    assertThat(c.subscriptionFilter().test("other")).isFalse();
    assertThat(GossipSubDerivation.DIRECT_CONNECT_INITIAL_DELAY).isEqualTo(Duration.ofSeconds(30));
    assertThat(GossipSubDerivation.IWANT_FOLLOWUP_TIME).isEqualTo(Duration.ofSeconds(5));
    assertThat(GossipSubDerivation.SUBSCRIPTION_BUFFER_SIZE).isEqualTo(32768);
  }

  @Test
  void theTopicIsAnEightByteConstant() {
    assertThat(GossipSubDerivation.TX_TOPIC).isEqualTo("algotx01");
    assertThat(GossipSubDerivation.TX_TOPIC.getBytes(StandardCharsets.US_ASCII)).hasSize(8);
  }

  @Test
  void onlyTheTransactionTopicIsScoredWithTheSeedsWeights() {
    PeerScoreParams p = GossipSubDerivation.config(12).scoreParams();
    assertThat(p.topics()).containsOnlyKeys("algotx01");
    assertThat(p.defaultTopic()).isNull();
    TopicScoreParams t = p.topics().get("algotx01");
    assertThat(t.topicWeight()).isEqualTo(0.1);
    assertThat(t.timeInMeshWeight()).isEqualTo(0.0002778);
    assertThat(t.timeInMeshQuantum()).isEqualTo(Duration.ofSeconds(1));
    assertThat(t.timeInMeshCap()).isEqualTo(1);
    assertThat(t.firstMessageDeliveriesWeight()).isEqualTo(0.5);
    assertThat(t.firstMessageDeliveriesCap()).isEqualTo(100);
    assertThat(t.meshMessageDeliveriesWeight()).isZero();
    assertThat(t.meshFailurePenaltyWeight()).isZero();
    assertThat(t.invalidMessageDeliveriesWeight()).isEqualTo(-1000);
    // go's ScoreParameterDecay: reaching 0.01 after the duration in 1 s ticks
    assertThat(Math.pow(t.firstMessageDeliveriesDecay(), 600)).isCloseTo(0.01, within(1e-9));
    assertThat(Math.pow(t.invalidMessageDeliveriesDecay(), 3600)).isCloseTo(0.01, within(1e-9));
  }

  @Test
  void theApplicationScoreIpColocationAndBehaviourPenaltyWeighNothingAsInTheSeed() {
    PeerScoreParams p = GossipSubDerivation.peerScoreParams();
    assertThat(p.appSpecificWeight()).isZero();
    assertThat(p.ipColocationFactorWeight()).isZero();
    assertThat(p.behaviourPenaltyWeight()).isZero();
    assertThat(p.topicScoreCap()).isZero();
    assertThat(p.decayInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.decayToZero()).isEqualTo(0.01);
  }

  @Test
  void theThresholdsAreTheSeeds() {
    var t = GossipSubDerivation.config(4).thresholds();
    assertThat(t.gossip()).isEqualTo(-500);
    assertThat(t.publish()).isEqualTo(-1000);
    assertThat(t.graylist()).isEqualTo(-2500);
    assertThat(t.acceptPx()).isEqualTo(1000);
    assertThat(t.opportunisticGraft()).isEqualTo(3.5);
  }

  @Test
  void theMessageIdIsBlake2b256OfTheData() {
    HexFormat hex = HexFormat.of();
    MessageIdFunction id = GossipSubDerivation.TX_MESSAGE_ID;
    assertThat(hex.formatHex(id.messageId(null, null, null, new byte[0])))
        .isEqualTo("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    assertThat(hex.formatHex(id.messageId(null, null, null, "abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    assertThat(id.messageId(null, null, null, null)).isEqualTo(id.messageId(null, null, null, new byte[0]));
  }

  @Test
  void theMessageIdIgnoresEverythingButTheDataAndMatchesTheLibp2pModules() {
    Random random = new Random(3);
    for (int i = 0; i < 200; i++) {
      byte[] data = new byte[random.nextInt(2000)];
      random.nextBytes(data);
      byte[] ours = GossipSubDerivation.TX_MESSAGE_ID.messageId(new byte[] {1}, new byte[] {2}, new byte[8], data);
      assertThat(ours).hasSize(32)
          .isEqualTo(GossipSubDerivation.TX_MESSAGE_ID.messageId(null, null, null, data))
          .isEqualTo(MessageIdFunction.BLAKE2B_256_DATA.messageId(null, null, null, data));
    }
  }
}
