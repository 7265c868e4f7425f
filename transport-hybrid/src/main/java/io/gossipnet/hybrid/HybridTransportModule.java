package io.gossipnet.hybrid;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import com.google.inject.multibindings.OptionalBinder;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.guice.GossipCoreModule;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.Networks;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.ws.WsNetwork;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Guice bindings of a hybrid node. It installs {@link GossipCoreModule} (handlers through {@code
 * Multibinder<TaggedHandler>}, the meter registry, the identity tracker, {@link
 * GossipNodeService}) and binds one {@link HybridNetwork} singleton as the unqualified {@link
 * GossipNode}, its {@link HybridConfig#network()} as {@link NetworkConfig}, and its two networks
 * as {@code @Named("ws") GossipNode} ({@link WsNetwork}) and {@code @Named("p2p") GossipNode}
 * ({@link P2PNetwork}), and the {@link IdentitySigner} to the libp2p key of {@link
 * HybridConfig#p2p()}, which the WS identity challenge signs with. Building the injector does no
 * I/O: both networks listen when the service starts.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new HybridTransportModule(config), new HttpServicesModule());
 * GossipNode node = injector.getInstance(GossipNode.class);
 * injector.getInstance(GossipNodeService.class).startAsync().awaitRunning();
 * }</pre>
 */
public final class HybridTransportModule extends AbstractModule {
  private final HybridConfig config;

  /**
   * Bindings for these settings.
   *
   * @throws IllegalArgumentException if they fail {@link HybridConfig#validate()}
   */
  public HybridTransportModule(HybridConfig config) {
    this.config = config.validate();
  }

  @Override
  protected void configure() {
    install(new GossipCoreModule());
    bind(NetworkConfig.class).toInstance(config.network());
    bind(HybridConfig.class).toInstance(config);
    bind(GossipNode.class).to(HybridNetwork.class);
    OptionalBinder.newOptionalBinder(binder(), IdentitySigner.class)
        .setBinding()
        .toInstance(P2PNetwork.identitySigner(config.p2p().privateKey()));
  }

  @Provides
  @Singleton
  HybridNetwork network(MeterRegistry registry, IdentityTracker tracker) {
    return new HybridNetwork(config, registry, tracker);
  }

  @Provides
  @Singleton
  WsNetwork wsNetwork(HybridNetwork hybrid) {
    return hybrid.ws();
  }

  @Provides
  @Singleton
  P2PNetwork p2pNetwork(HybridNetwork hybrid) {
    return hybrid.p2p();
  }

  @Provides
  @Singleton
  @com.google.inject.name.Named(Networks.WS)
  GossipNode namedWs(HybridNetwork hybrid) {
    return hybrid.ws();
  }

  @Provides
  @Singleton
  @com.google.inject.name.Named(Networks.P2P)
  GossipNode namedP2p(HybridNetwork hybrid) {
    return hybrid.p2p();
  }
}
