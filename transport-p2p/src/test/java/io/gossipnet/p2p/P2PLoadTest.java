package io.gossipnet.p2p;

import io.gossipnet.testkit.GossipNodeLoadContract;
import io.gossipnet.testkit.NodeFactory;

/**
 * The load contract over real {@link P2PNetwork}s on loopback: 10,000 messages a second from a
 * relay to 9 clients over the gossip streams of libp2p connections (TCP, Noise, Yamux).
 */
class P2PLoadTest extends GossipNodeLoadContract {
  @Override
  protected NodeFactory factory() {
    return new P2PNodeFactory();
  }
}
