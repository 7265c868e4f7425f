package io.gossipnet.ws;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.testkit.FreePorts;
import io.gossipnet.testkit.GossipNodeContract;
import io.gossipnet.testkit.NodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;

/**
 * The contract over real {@link WsNetwork}s on loopback: a relay listens on a port of its own with
 * {@code http://127.0.0.1:<port>} as its public address (so it runs the identity challenge), a
 * client has neither.
 */
class WsGossipNodeContractTest extends GossipNodeContract {
  @Override
  protected NodeFactory factory() {
    return new NodeFactory() {
      @Override
      public io.gossipnet.core.GossipNode create(io.gossipnet.testkit.NodeOptions options) {
        NetworkConfig.Builder c = options.networkConfig();
        if (options.relay()) {
          int port = FreePorts.loopback();
          c.listenAddress("127.0.0.1:" + port).publicAddress("http://127.0.0.1:" + port);
        }
        return new WsNetwork(c.build(), WsConfig.defaults(), new SimpleMeterRegistry());
      }

      @Override
      public List<String> threadNamePrefixes() {
        // The engine's threads, Jetty's pool and scheduler (gossipnet-ws...), the peer HTTP client.
        return List.of("gossipnet-", "HttpClient-");
      }
    };
  }
}
