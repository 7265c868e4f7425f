package io.gossipnet.libp2p.pubsub;

/** How messages are authored and what is accepted; every node of a network must use the same. */
public enum SignaturePolicy {
  /**
   * Messages carry {@code from}, an 8-byte {@code seqno}, {@code signature} and {@code key};
   * unsigned messages are rejected.
   */
  STRICT_SIGN,
  /**
   * Messages carry only {@code data} and {@code topic}; any with {@code from}, {@code seqno},
   * {@code signature} or {@code key} is rejected (go-algorand's policy).
   */
  STRICT_NO_SIGN
}
