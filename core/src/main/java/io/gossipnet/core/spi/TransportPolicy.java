package io.gossipnet.core.spi;

/**
 * What the engine does differently per transport (the seed's P2P differences, inventory 7.3). A
 * WebSocket transport keeps every check; a P2P transport announces no message-of-interest, runs no
 * slow-writer or idle checks (libp2p and Yamux keep-alives watch the connection) and carries no
 * {@code NI} identity messages (the peer ID is the identity).
 *
 * @param announceMessageOfInterest whether the engine sends {@code MI} to new peers
 * @param livenessChecks whether slow-writer and idle checks close peers
 * @param identityMessages whether {@code NI} messages are verified (otherwise they go to handlers
 *     like any tag, and are dropped when none is registered)
 */
public record TransportPolicy(
    boolean announceMessageOfInterest, boolean livenessChecks, boolean identityMessages) {
  /** Every check on: the WebSocket and in-memory transports. */
  public static final TransportPolicy DEFAULT = new TransportPolicy(true, true, true);

  /** The seed's P2P differences: no MI sent, no slow-writer or idle checks, no NI handling. */
  public static final TransportPolicy P2P = new TransportPolicy(false, false, false);
}
