package io.gossipnet.libp2p.pubsub;

/**
 * Thrown by {@link GossipSub#publish} when the topic's own validator does not accept the message
 * we are about to publish; nothing was sent.
 */
public final class PublishRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final transient ValidationResult verdict;

  PublishRejectedException(String topic, ValidationResult verdict, Throwable cause) {
    super("the validator of topic " + topic + " answered " + verdict + " for our own message"
        + (cause == null ? "" : " (it threw " + cause + ")"), cause);
    this.topic = topic;
    this.verdict = verdict;
  }

  /** The topic published to. */
  public String topic() {
    return topic;
  }

  /** The validator's verdict: {@code REJECT}, or {@code IGNORE} (also when it threw). */
  public ValidationResult verdict() {
    return verdict;
  }
}
