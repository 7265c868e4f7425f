package io.gossipnet.core;

/** A transport-level connection, as returned by the {@code TRANSPORT_CONNECTIONS_*} options. */
public interface PeerConnectionInfo extends Peer {
  /** The remote address of the connection. */
  String address();

  /** The transport that carries it: {@code "ws"}, {@code "p2p"} or {@code "mem"}. */
  String networkType();

  /**
   * The remote node's id that outlives this connection: its libp2p peer ID over P2P, its verified
   * identity key (lowercase hex) over WS when the identity challenge verified it, else the
   * address.
   */
  default String stableId() {
    return address();
  }
}
