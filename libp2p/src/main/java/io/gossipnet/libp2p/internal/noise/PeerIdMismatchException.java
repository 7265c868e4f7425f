package io.gossipnet.libp2p.internal.noise;

import io.gossipnet.libp2p.Libp2pException;

/**
 * The Noise handshake of a dial proved a key other than the one the dialed {@code /p2p/} peer ID
 * names: the remote is not the peer we meant to reach. The host closes the connection and counts
 * {@code connection.refused.peerIdMismatch}.
 */
public final class PeerIdMismatchException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /** A mismatch with what was dialed and what answered. */
  public PeerIdMismatchException(String message) {
    super(message);
  }
}
