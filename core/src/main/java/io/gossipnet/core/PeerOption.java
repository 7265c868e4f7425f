package io.gossipnet.core;

/** The classes of peers that {@link GossipNode#getPeers(PeerOption...)} can return. */
public enum PeerOption {
  /** Connected peers that we dialed. */
  CONNECTED_OUT,
  /** Connected peers that dialed us. */
  CONNECTED_IN,
  /** Relay addresses from the phonebook, as HTTP-only peers (up to 1000). */
  PHONEBOOK_RELAYS,
  /** Archival addresses from the phonebook, as HTTP-only peers (up to 1000). */
  PHONEBOOK_ARCHIVAL,
  /** Every outgoing transport connection, as {@link PeerConnectionInfo}. */
  TRANSPORT_CONNECTIONS_OUT,
  /** Every incoming transport connection, as {@link PeerConnectionInfo}. */
  TRANSPORT_CONNECTIONS_IN
}
