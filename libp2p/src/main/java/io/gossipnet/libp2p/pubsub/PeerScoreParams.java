package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Peer score parameters (GossipSub v1.1): per-topic parameters, the application score (P5), IP
 * colocation (P6), the behaviour penalty (P7) and decay.
 *
 * @param topics parameters per topic
 * @param defaultTopic parameters of topics not in {@code topics} ({@code null}: unscored)
 * @param topicScoreCap cap of the summed positive topic score (0: none)
 * @param appSpecificScore P5: the application's score of a peer (go's {@code AppSpecificScore});
 *     {@link GossipSub#setApplicationScore} replaces it at run time
 * @param appSpecificWeight P5 weight (go-algorand leaves it at 0, so its score of 1000 adds nothing)
 * @param ipColocationFactorWeight P6 weight (negative)
 * @param ipColocationFactorThreshold peers on one IP before P6 applies
 * @param behaviourPenaltyWeight P7 weight (negative)
 * @param behaviourPenaltyThreshold P7 penalty that is free
 * @param behaviourPenaltyDecay P7 decay per interval (in (0, 1); any value in [0, 1) when the
 *     weight is 0, as go checks it only then)
 * @param decayInterval how often counters decay
 * @param decayToZero counters below this become 0
 * @param retainScore how long the counters of a disconnected peer are kept, so that reconnecting
 *     does not wash out its penalties (0: forgotten at the next decay, go's default)
 */
public record PeerScoreParams(Map<String, TopicScoreParams> topics, TopicScoreParams defaultTopic, double topicScoreCap,
    ToDoubleFunction<PeerId> appSpecificScore, double appSpecificWeight, double ipColocationFactorWeight,
    int ipColocationFactorThreshold, double behaviourPenaltyWeight, double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay, Duration decayInterval, double decayToZero, Duration retainScore) {

  /** How long a departed peer's counters are kept by default: one minute. */
  public static final Duration DEFAULT_RETAIN_SCORE = Duration.ofMinutes(1);

  /** Validates the parameters, naming the one that is wrong. */
  public PeerScoreParams {
    topics = Map.copyOf(topics);
    Objects.requireNonNull(appSpecificScore, "appSpecificScore (p -> 0 for none)");
    if (ipColocationFactorWeight > 0 || behaviourPenaltyWeight > 0) {
      throw new IllegalArgumentException("P6 and P7 weights must be <= 0");
    }
    if (behaviourPenaltyWeight != 0 ? behaviourPenaltyDecay <= 0 || behaviourPenaltyDecay >= 1
        : behaviourPenaltyDecay < 0 || behaviourPenaltyDecay >= 1) {
      throw new IllegalArgumentException("behaviourPenaltyDecay must be in (0, 1): " + behaviourPenaltyDecay);
    }
    if (decayInterval.isNegative() || decayInterval.isZero()) {
      throw new IllegalArgumentException("decayInterval must be positive");
    }
    if (retainScore == null || retainScore.isNegative()) {
      throw new IllegalArgumentException("retainScore must not be negative");
    }
  }

  /**
   * Parameters without an application score function (P5 is 0 until
   * {@link GossipSub#setApplicationScore}) and with the default score retention.
   */
  public PeerScoreParams(Map<String, TopicScoreParams> topics, TopicScoreParams defaultTopic, double topicScoreCap,
      double appSpecificWeight, double ipColocationFactorWeight, int ipColocationFactorThreshold,
      double behaviourPenaltyWeight, double behaviourPenaltyThreshold, double behaviourPenaltyDecay,
      Duration decayInterval, double decayToZero) {
    this(topics, defaultTopic, topicScoreCap, p -> 0, appSpecificWeight, ipColocationFactorWeight,
        ipColocationFactorThreshold, behaviourPenaltyWeight, behaviourPenaltyThreshold, behaviourPenaltyDecay,
        decayInterval, decayToZero, DEFAULT_RETAIN_SCORE);
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

  /**
   * go-algorand's {@code makePubSub} parameters, field for field: decay every second to zero
   * below 0.01, {@code AppSpecificScore} 1000 for every peer with the weight left at 0 (so P5 adds
   * nothing, as in go-algorand), no IP colocation or behaviour penalty (weights 0), no score
   * retention, and {@link TopicScoreParams#algorandTx} on {@code topic} only (other topics are not
   * scored).
   */
  public static PeerScoreParams algorand(String topic) {
    Duration interval = Duration.ofSeconds(1);
    return new PeerScoreParams(Map.of(topic, TopicScoreParams.algorandTx(interval)), null, 0, p -> 1000, 0, 0, 0,
        0, 0, 0, interval, 0.01, Duration.ZERO);
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
