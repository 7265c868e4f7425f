package io.gossipnet.hybrid;

import io.gossipnet.testkit.GossipNodeContract;
import io.gossipnet.testkit.NodeFactory;

/**
 * The contract over real {@link HybridNetwork}s on loopback: a relay listens on a WS port and a
 * P2P port of its own (public address {@code http://127.0.0.1:<ws port>}); a client listens on
 * neither and runs both meshes. Nodes are dialed at both addresses, so every connection between
 * two hybrid nodes is made over both transports and one of the two is closed as a duplicate
 * before the contract looks at the peers.
 */
class HybridGossipNodeContractTest extends GossipNodeContract {
  @Override
  protected NodeFactory factory() {
    return new HybridNodeFactory();
  }
}
