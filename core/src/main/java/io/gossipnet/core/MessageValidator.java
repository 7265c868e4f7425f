package io.gossipnet.core;

/**
 * Validates messages of one tag synchronously, before they are forwarded (used by pubsub-based
 * transports). Returns {@link OutgoingMessage#accept()}, {@link OutgoingMessage#ignore()} or
 * {@link OutgoingMessage#disconnect()} (reject).
 */
@FunctionalInterface
public interface MessageValidator {
  /** Decides at once whether the message is valid. */
  OutgoingMessage validate(IncomingMessage message);
}
