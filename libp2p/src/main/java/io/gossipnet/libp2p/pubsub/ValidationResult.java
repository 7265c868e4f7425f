package io.gossipnet.libp2p.pubsub;

/** A validator's verdict on a message. */
public enum ValidationResult {
  /** Deliver and forward. */
  ACCEPT,
  /** Drop and penalise the peer that forwarded it. */
  REJECT,
  /** Drop without penalty. */
  IGNORE
}
