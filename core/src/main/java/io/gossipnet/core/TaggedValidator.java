package io.gossipnet.core;

import java.util.Objects;

/** A validator and the tag it validates, for {@link GossipNode#registerValidators}. */
public record TaggedValidator(Tag tag, MessageValidator validator) {
  /** Checks that both parts are present. */
  public TaggedValidator {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(validator, "validator");
  }
}
