package io.gossipnet.core;

/** A peer with a live connection, which the network that owns it can close. */
public interface DisconnectablePeer extends Peer {
  /** The network this peer is connected to: pass the peer to its {@code disconnect}. */
  GossipNode network();
}
