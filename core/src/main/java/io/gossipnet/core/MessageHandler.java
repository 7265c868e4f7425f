package io.gossipnet.core;

/**
 * Handles messages of one tag. Handlers run on the network's handler threads (virtual threads);
 * a slow handler delays only the messages behind it in the read buffer.
 */
@FunctionalInterface
public interface MessageHandler {
  /** Handles one message and says what to do next. Never returns null. */
  OutgoingMessage handle(IncomingMessage message);
}
