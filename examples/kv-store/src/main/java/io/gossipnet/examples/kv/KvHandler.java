package io.gossipnet.examples.kv;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.MessageHandler;
import io.gossipnet.core.OutgoingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the writes that peers gossip on tag {@code KV}: a write that changes the store is relayed
 * to every other peer ({@link OutgoingMessage#broadcast()}); one the store already had, or a new
 * key refused by a full store, goes no further; a message that is not a valid write ({@link
 * KvCodec}) disconnects the peer that sent it.
 */
public final class KvHandler implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(KvHandler.class);
  private final KvStore store;

  /** A handler writing into {@code store}. */
  public KvHandler(KvStore store) {
    this.store = store;
  }

  @Override
  public OutgoingMessage handle(IncomingMessage message) {
    KvWrite write;
    switch (KvCodec.decode(message.data())) {
      case KvCodec.Decoded.Malformed m -> {
        log.info("disconnecting {}: malformed KV message ({} bytes): {}", message.sender(), message.data().length, m.reason());
        return OutgoingMessage.disconnect();
      }
      case KvCodec.Decoded.Ok ok -> write = ok.write();
    }
    KvStore.Outcome outcome = store.merge(write.key(), write.value(), write.version());
    switch (outcome) {
      case APPLIED -> {
        log.debug("applied {} from {}", write, message.sender());
        return OutgoingMessage.broadcast();
      }
      case FULL -> {
        log.debug("store full: refused {} from {}", write, message.sender());
        return OutgoingMessage.ignore();
      }
      case STALE -> {
        return OutgoingMessage.ignore();
      }
    }
    throw new AssertionError(outcome);
  }
}
