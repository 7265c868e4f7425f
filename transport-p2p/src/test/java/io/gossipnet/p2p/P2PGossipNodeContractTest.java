package io.gossipnet.p2p;

import io.gossipnet.testkit.GossipNodeContract;
import io.gossipnet.testkit.NodeFactory;

/**
 * The contract over real {@link P2PNetwork}s on loopback: a relay listens on {@code 127.0.0.1:0}
 * and is dialed at {@code /ip4/127.0.0.1/tcp/<port>/p2p/<peer ID>}; a client does not listen. Each
 * node has a fresh key. {@code TX} goes over GossipSub, to which relays subscribe.
 */
class P2PGossipNodeContractTest extends GossipNodeContract {
  @Override
  protected NodeFactory factory() {
    return new P2PNodeFactory();
  }
}
