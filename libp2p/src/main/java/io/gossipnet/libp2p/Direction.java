package io.gossipnet.libp2p;

/** Who opened a connection. */
public enum Direction {
  /** The remote dialed us. */
  INBOUND,
  /** We dialed the remote. */
  OUTBOUND
}
