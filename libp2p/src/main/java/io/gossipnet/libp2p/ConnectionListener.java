package io.gossipnet.libp2p;

/**
 * Connection events of a {@link io.gossipnet.libp2p.host.Host} (go-libp2p's {@code Notifiee}).
 * Called on a Netty event loop: return quickly, and do blocking work (opening a stream) on another
 * thread.
 *
 * <p>{@link Connection#direction()} says who dialed. To tell a connection the application asked
 * for from one the DHT, pubsub or a remote opened, dial with
 * {@code Host.connect(address, tag)}: it protects the peer under {@code tag} before dialing, so in
 * {@link #connected} {@code host.connectionManager().isProtected(peer, tag)} is true for it and
 * false for an outbound connection made by a plain {@code dial} (go-algorand's check).
 */
public interface ConnectionListener {
  /** A connection finished its upgrade (security and muxer); the manager already counts it. */
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
