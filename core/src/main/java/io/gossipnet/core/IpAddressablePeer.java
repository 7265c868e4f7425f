package io.gossipnet.core;

/** A peer whose IP address is known, for routing and per-address accounting. */
public interface IpAddressablePeer extends Peer {
  /** The remote IP address in network byte order (4 or 16 bytes), or an empty array if unknown. */
  byte[] routingAddress();
}
