package io.gossipnet.testkit;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityKeys;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.memory.MemoryNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;

/** The contract over the in-memory transport: every node of a test on one {@link MemoryNetwork}. */
class MemoryGossipNodeContractTest extends GossipNodeContract {
  @Override
  protected NodeFactory factory() {
    MemoryNetwork network = new MemoryNetwork();
    return options -> {
      NetworkConfig.Builder c = options.networkConfig();
      String self = "mem://" + options.name();
      if (options.relay()) {
        c.listenAddress(self).publicAddress(self);
      }
      NetworkConfig config = c.build();
      var identity = options.relay() ? new Ed25519IdentityChallengeScheme(IdentityKeys.generate(), Set.of(self)) : null;
      GossipNode node = new NetworkEngine(config, network.transport(options.name()), new SimpleMeterRegistry(), identity,
          IdentityTracker.create());
      return node;
    };
  }
}
