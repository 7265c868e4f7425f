package io.gossipnet.core;

import io.gossipnet.core.http.PeerHttpClient;

/** A peer that serves HTTP: a connected peer or a phonebook entry. */
public interface HttpPeer extends Peer {
  /** The address used to reach this peer (for WS an {@code http(s)://host:port} URL). */
  String address();

  /** A client bound to this peer's address and rate-limited per address. */
  PeerHttpClient httpClient();
}
