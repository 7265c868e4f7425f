package io.gossipnet.libp2p;

/** Connection events of a {@link io.gossipnet.libp2p.host.Host}. Called on a Netty event loop: return quickly. */
public interface ConnectionListener {
  /** A connection finished its upgrade (security and muxer). */
  default void connected(Connection connection) {}

  /**
   * The peer of {@code connection} changed what it announced after the first identify, with an
   * identify push ({@code /ipfs/id/push/1.0.0}): for example it started or stopped serving a
   * protocol. Called on a worker thread, not an event loop.
   */
  default void identifyPushed(Connection connection, IdentifyInfo info) {}

  /** A connection closed; {@code reason} says why. */
  default void disconnected(Connection connection, String reason) {}
}
