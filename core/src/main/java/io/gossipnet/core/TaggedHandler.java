package io.gossipnet.core;

import java.util.Objects;

/** A handler and the tag it handles, for {@link GossipNode#registerHandlers}. */
public record TaggedHandler(Tag tag, MessageHandler handler) {
  /** Checks that both parts are present. */
  public TaggedHandler {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(handler, "handler");
  }
}
