package io.gossipnet.libp2p.pubsub;

import java.time.Duration;
import java.util.Map;

/**
 * Peer score parameters (GossipSub v1.1): per-topic parameters, the application score (P5), IP
 * colocation (P6), the behaviour penalty (P7) and decay.
 *
 * @param topics parameters per topic
 * @param defaultTopic parameters of topics not in {@code topics} ({@code null}: unscored)
 * @param topicScoreCap cap of the summed positive topic score (0: none)
 * @param appSpecificWeight P5 weight of {@link GossipSub#setApplicationScore}
 * @param ipColocationFactorWeight P6 weight (negative)
 * @param ipColocationFactorThreshold peers on one IP before P6 applies
 * @param behaviourPenaltyWeight P7 weight (negative)
 * @param behaviourPenaltyThreshold P7 penalty that is free
 * @param behaviourPenaltyDecay P7 decay per interval
 * @param decayInterval how often counters decay
 * @param decayToZero counters below this become 0
 */
public record PeerScoreParams(Map<String, TopicScoreParams> topics, TopicScoreParams defaultTopic, double topicScoreCap,
    double appSpecificWeight, double ipColocationFactorWeight, int ipColocationFactorThreshold,
    double behaviourPenaltyWeight, double behaviourPenaltyThreshold, double behaviourPenaltyDecay,
    Duration decayInterval, double decayToZero) {

  public PeerScoreParams {
    topics = Map.copyOf(topics);
    if (ipColocationFactorWeight > 0 || behaviourPenaltyWeight > 0) {
      throw new IllegalArgumentException("P6 and P7 weights must be <= 0");
    }
    if (behaviourPenaltyDecay <= 0 || behaviourPenaltyDecay >= 1 || decayInterval.isNegative() || decayInterval.isZero()) {
      throw new IllegalArgumentException("decay must be in (0, 1) and the interval positive");
    }
  }

  /**
   * The defaults: invalid messages scored on every topic ({@link TopicScoreParams#invalidOnly()}),
   * application weight 1, IP colocation −5 above 10 peers per IP (as js), behaviour penalty −10
   * per squared unit, decaying to zero in about a minute, decay every second.
   */
  public static PeerScoreParams defaults() {
    Duration interval = Duration.ofSeconds(1);
    return new PeerScoreParams(Map.of(), TopicScoreParams.invalidOnly(), 0, 1, -5, 10, -10, 0,
        decayFor(interval, Duration.ofMinutes(1)), interval, 0.01);
  }

  /** go-algorand's parameters: application score weight 1 and {@link TopicScoreParams#algorandTx} on {@code topic}. */
  public static PeerScoreParams algorand(String topic) {
    Duration interval = Duration.ofSeconds(1);
    return new PeerScoreParams(Map.of(topic, TopicScoreParams.algorandTx(interval)), null, 0, 1, 0, 1, -10, 0,
        decayFor(interval, Duration.ofMinutes(1)), interval, 0.01);
  }

  /** The decay per {@code interval} that brings a counter to 1 % in {@code toZero} (go's ScoreParameterDecay). */
  public static double decayFor(Duration interval, Duration toZero) {
    double ticks = (double) toZero.toMillis() / interval.toMillis();
    return Math.pow(0.01, 1 / ticks);
  }

  /** The parameters for {@code topic}, or null when it is not scored. */
  TopicScoreParams topic(String topic) {
    TopicScoreParams p = topics.get(topic);
    return p != null ? p : defaultTopic;
  }
}
