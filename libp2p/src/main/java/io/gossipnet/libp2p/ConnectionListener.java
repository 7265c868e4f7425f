package io.gossipnet.libp2p;

/** Connection events of a {@link Host}. Called on a Netty event loop: return quickly. */
public interface ConnectionListener {
  /** A connection finished its upgrade (security and muxer). */
  default void connected(Connection connection) {}

  /** A connection closed; {@code reason} says why. */
  default void disconnected(Connection connection, String reason) {}
}
