package io.gossipnet.libp2p.pubsub;

/**
 * Validates a received message before it is delivered or forwarded. Runs on one of the validation
 * workers; it may block (go-algorand's transaction validator waits for its backlog's verdict).
 */
@FunctionalInterface
public interface TopicValidator {
  /** The verdict on {@code message}, received from {@code message.receivedFrom()}. */
  ValidationResult validate(PubsubMessage message);
}
