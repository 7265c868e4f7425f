package io.gossipnet.p2p;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.testkit.NodeFactory;
import io.gossipnet.testkit.NodeOptions;
import io.gossipnet.testkit.TransportCapabilities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;

/**
 * Makes {@link P2PNetwork}s on loopback for the testkit's contracts: a relay listens on {@code
 * 127.0.0.1:0} and is dialed at {@code /ip4/127.0.0.1/tcp/<port>/p2p/<peer ID>}; a client does not
 * listen. Each node has a fresh key.
 */
final class P2PNodeFactory implements NodeFactory {
  @Override
  public GossipNode create(NodeOptions options) {
    NetworkConfig.Builder c = options.networkConfig();
    if (options.relay()) {
      c.listenAddress("127.0.0.1:0");
    }
    return new P2PNetwork(c.build(), P2PConfig.defaults(), new SimpleMeterRegistry());
  }

  @Override
  public TransportCapabilities capabilities() {
    return TransportCapabilities.p2p();
  }

  @Override
  public List<String> threadNamePrefixes() {
    // The engine's threads, GossipSub's, Netty's event loops (default names) and the DHT's.
    return List.of("gossipnet-", "gossipsub-", "multiThreadIoEventLoopGroup-", "kad-");
  }
}
