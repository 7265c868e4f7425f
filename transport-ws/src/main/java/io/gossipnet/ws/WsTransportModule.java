package io.gossipnet.ws;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.guice.GossipCoreModule;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.Networks;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Guice bindings of the WebSocket transport. It installs {@link GossipCoreModule} (handlers, meter
 * registry, identity tracker, identity signer, {@link GossipNodeService}) and binds one {@link
 * WsNetwork} singleton as the node's {@link GossipNode}, as {@code @Named("ws") GossipNode}, and
 * its {@link NetworkConfig}. The WS identity challenge signs with the bound {@link IdentitySigner},
 * and peers are claimed in the bound {@link IdentityTracker}. A node on both networks uses the
 * hybrid module ({@code transport-hybrid}'s {@code HybridTransportModule}) instead, which builds
 * its WS network itself with the pieces it shares with the P2P one.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new WsTransportModule(config));
 * GossipNodeService service = injector.getInstance(GossipNodeService.class);
 * service.startAsync().awaitRunning();   // the server listens from here on
 * }</pre>
 */
public final class WsTransportModule extends AbstractModule {
  private final NetworkConfig config;
  private final WsConfig ws;

  /** Bindings for this network configuration with default WebSocket settings. */
  public WsTransportModule(NetworkConfig config) {
    this(config, WsConfig.defaults());
  }

  /** Bindings for these settings. */
  public WsTransportModule(NetworkConfig config, WsConfig ws) {
    this.config = config;
    this.ws = ws;
  }

  @Override
  protected void configure() {
    install(new GossipCoreModule());
    bind(NetworkConfig.class).toInstance(config);
    bind(GossipNode.class).to(WsNetwork.class);
    bind(Networks.node(Networks.WS)).to(WsNetwork.class);
  }

  @Provides
  @Singleton
  WsNetwork network(MeterRegistry registry, IdentityTracker tracker, IdentitySigner signer) {
    return new WsNetwork(
        NetworkEngine.builder(config, new WsTransport(ws))
            .meterRegistry(registry)
            .identity(WsNetwork.identity(config, signer))
            .identityTracker(tracker));
  }
}
