package io.gossipnet.p2p;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.guice.GossipCoreModule;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.Networks;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Guice bindings of the P2P transport. It installs {@link GossipCoreModule} (handlers, meter
 * registry, identity tracker, {@link GossipNodeService}) and binds one {@link P2PNetwork}
 * singleton as the node's {@link GossipNode} and as {@code @Named("p2p") GossipNode}, with its
 * {@link NetworkConfig}. A node on both networks uses {@code transport-hybrid}'s {@code
 * HybridTransportModule} instead. Building the injector does no I/O: the host listens when the
 * service starts.
 *
 * <pre>{@code
 * P2PConfig p2p = P2PConfig.builder().privateKey(PeerKeyFile.obtain(null, dataDir, true)).build();
 * Injector injector = Guice.createInjector(new P2pTransportModule(config, p2p));
 * injector.getInstance(GossipNodeService.class).startAsync().awaitRunning();
 * }</pre>
 */
public final class P2pTransportModule extends AbstractModule {
  private final NetworkConfig config;
  private final P2PConfig p2p;

  /** Bindings for these settings. */
  public P2pTransportModule(NetworkConfig config, P2PConfig p2p) {
    this.config = config;
    this.p2p = p2p;
  }

  @Override
  protected void configure() {
    install(new GossipCoreModule());
    bind(NetworkConfig.class).toInstance(config);
    bind(GossipNode.class).to(P2PNetwork.class);
    bind(Networks.node(Networks.P2P)).to(P2PNetwork.class);
  }

  @Provides
  @Singleton
  P2PNetwork network(MeterRegistry registry, IdentityTracker tracker) {
    return new P2PNetwork(P2PNetwork.builder(config, p2p).meterRegistry(registry).identityTracker(tracker));
  }
}
