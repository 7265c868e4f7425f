package io.gossipnet.hybrid;

import io.gossipnet.testkit.GossipNodeLoadContract;
import io.gossipnet.testkit.NodeFactory;

/**
 * The load contract over real {@link HybridNetwork}s on loopback: a hybrid relay broadcasting
 * 10,000 messages a second to 9 hybrid clients, each dialing it over WS and P2P and kept on one of
 * the two.
 */
class HybridLoadTest extends GossipNodeLoadContract {
  @Override
  protected NodeFactory factory() {
    return new HybridNodeFactory();
  }
}
