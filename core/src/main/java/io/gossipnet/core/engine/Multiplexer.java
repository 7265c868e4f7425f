package io.gossipnet.core.engine;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.MessageHandler;
import io.gossipnet.core.MessageValidator;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.TaggedValidator;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Finds the handler or validator of a message's tag. Both tables are immutable arrays indexed by
 * the 16-bit tag code and replaced copy-on-write, so lookups on the handler threads take no lock.
 * Registering a tag twice is an error; a tag with no handler yields {@link OutgoingMessage#ignore()}.
 */
public final class Multiplexer {
  private volatile MessageHandler[] handlers = new MessageHandler[1 << 16];
  private volatile MessageValidator[] validators = new MessageValidator[1 << 16];

  /**
   * Adds handlers, all or none.
   *
   * @throws IllegalStateException if a tag already has a handler or appears twice
   */
  public synchronized void registerHandlers(Collection<TaggedHandler> toAdd) {
    MessageHandler[] next = handlers.clone();
    for (TaggedHandler h : toAdd) {
      if (next[h.tag().code()] != null) {
        throw new IllegalStateException("a handler is already registered for tag " + h.tag());
      }
      next[h.tag().code()] = h.handler();
    }
    handlers = next;
  }

  /**
   * Adds validators, all or none.
   *
   * @throws IllegalStateException if a tag already has a validator or appears twice
   */
  public synchronized void registerValidators(Collection<TaggedValidator> toAdd) {
    MessageValidator[] next = validators.clone();
    for (TaggedValidator v : toAdd) {
      if (next[v.tag().code()] != null) {
        throw new IllegalStateException("a validator is already registered for tag " + v.tag());
      }
      next[v.tag().code()] = v.validator();
    }
    validators = next;
  }

  /** Removes every handler except those of the excluded tag codes. */
  public synchronized void clearHandlers(Set<Integer> keepTagCodes) {
    MessageHandler[] next = new MessageHandler[1 << 16];
    for (int code : keepTagCodes) {
      next[code] = handlers[code];
    }
    handlers = next;
  }

  /** Removes every validator. */
  public synchronized void clearValidators() {
    validators = new MessageValidator[1 << 16];
  }

  /** Runs the handler of the message's tag, or ignores the message if there is none. */
  public OutgoingMessage handle(IncomingMessage msg) {
    MessageHandler h = handlers[msg.tag().code()];
    if (h == null) {
      return OutgoingMessage.ignore();
    }
    OutgoingMessage out = h.handle(msg);
    return out == null ? OutgoingMessage.ignore() : out;
  }

  /** Runs the validator of the message's tag, or ignores the message if there is none. */
  public OutgoingMessage validate(IncomingMessage msg) {
    MessageValidator v = validators[msg.tag().code()];
    if (v == null) {
      return OutgoingMessage.ignore();
    }
    OutgoingMessage out = v.validate(msg);
    return out == null ? OutgoingMessage.ignore() : out;
  }

  /** Whether a handler is registered for the tag code. */
  public boolean hasHandler(int tagCode) {
    return handlers[tagCode] != null;
  }

  /** Whether a validator is registered for the tag code. */
  public boolean hasValidator(int tagCode) {
    return validators[tagCode] != null;
  }

  /** Convenience for one handler. */
  public void registerHandler(TaggedHandler h) {
    registerHandlers(List.of(h));
  }
}
