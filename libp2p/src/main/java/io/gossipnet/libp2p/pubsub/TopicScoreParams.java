package io.gossipnet.libp2p.pubsub;

import java.time.Duration;

/**
 * Score parameters of one topic (GossipSub v1.1 P1-P4). Weights of P3, P3b and P4 must be
 * negative or zero; decays are per {@link PeerScoreParams#decayInterval()} multipliers in (0, 1).
 *
 * @param topicWeight multiplier of this topic's score
 * @param timeInMeshWeight P1 weight (positive)
 * @param timeInMeshQuantum P1 unit of time
 * @param timeInMeshCap P1 cap in quanta
 * @param firstMessageDeliveriesWeight P2 weight (positive)
 * @param firstMessageDeliveriesDecay P2 decay
 * @param firstMessageDeliveriesCap P2 cap
 * @param meshMessageDeliveriesWeight P3 weight (negative)
 * @param meshMessageDeliveriesDecay P3 decay
 * @param meshMessageDeliveriesThreshold P3 deliveries expected in the mesh
 * @param meshMessageDeliveriesCap P3 cap
 * @param meshMessageDeliveriesActivation time in mesh before P3 applies
 * @param meshMessageDeliveriesWindow how late after the first delivery a mesh peer's copy still counts
 * @param meshFailurePenaltyWeight P3b weight (negative)
 * @param meshFailurePenaltyDecay P3b decay
 * @param invalidMessageDeliveriesWeight P4 weight (negative)
 * @param invalidMessageDeliveriesDecay P4 decay
 */
public record TopicScoreParams(double topicWeight, double timeInMeshWeight, Duration timeInMeshQuantum,
    double timeInMeshCap, double firstMessageDeliveriesWeight, double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap, double meshMessageDeliveriesWeight, double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesThreshold, double meshMessageDeliveriesCap, Duration meshMessageDeliveriesActivation,
    Duration meshMessageDeliveriesWindow, double meshFailurePenaltyWeight, double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight, double invalidMessageDeliveriesDecay) {

  public TopicScoreParams {
    if (timeInMeshWeight < 0 || firstMessageDeliveriesWeight < 0 || meshMessageDeliveriesWeight > 0
        || meshFailurePenaltyWeight > 0 || invalidMessageDeliveriesWeight > 0) {
      throw new IllegalArgumentException("P1/P2 weights must be >= 0 and P3/P3b/P4 weights <= 0");
    }
    if (timeInMeshQuantum.isZero() || timeInMeshQuantum.isNegative()) {
      throw new IllegalArgumentException("time in mesh quantum must be positive");
    }
  }

  /**
   * Scores only invalid messages: weight −10, decaying to zero in about a minute. Used for topics
   * without parameters of their own unless {@link PeerScoreParams#defaultTopic()} says otherwise.
   */
  public static TopicScoreParams invalidOnly() {
    return new TopicScoreParams(1, 0, Duration.ofSeconds(1), 0, 0, 0, 0, 0, 0, 0, 0, Duration.ofSeconds(5),
        Duration.ofMillis(10), 0, 0, -10, PeerScoreParams.decayFor(Duration.ofSeconds(1), Duration.ofMinutes(1)));
  }

  /**
   * go-algorand's transaction topic: weight 0.1, time in mesh 0.0002778 per second up to 1, first
   * deliveries 0.5 (decay to zero in 10 min, cap 100), invalid deliveries −1000 (decay in 1 h).
   */
  public static TopicScoreParams algorandTx(Duration decayInterval) {
    return new TopicScoreParams(0.1, 0.0002778, Duration.ofSeconds(1), 1, 0.5,
        PeerScoreParams.decayFor(decayInterval, Duration.ofMinutes(10)), 100, 0, 0, 0, 0, Duration.ofSeconds(5),
        Duration.ofMillis(10), 0, 0, -1000, PeerScoreParams.decayFor(decayInterval, Duration.ofHours(1)));
  }
}
