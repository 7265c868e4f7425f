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
 * WsNetwork} singleton as {@code @Named("ws") GossipNode}. As the node's only network ({@link
 * #WsTransportModule(NetworkConfig)}) it also binds the unqualified {@link GossipNode} and {@link
 * NetworkConfig}; inside a hybrid node ({@link #asChild}) it leaves both to the hybrid module. The
 * WS identity challenge signs with the bound {@link IdentitySigner}, and peers are claimed in the
 * bound {@link IdentityTracker}.
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
  private final boolean standalone;

  /** Bindings for this network configuration with default WebSocket settings. */
  public WsTransportModule(NetworkConfig config) {
    this(config, WsConfig.defaults());
  }

  /** Bindings for these settings, the WS network being the node's only network. */
  public WsTransportModule(NetworkConfig config, WsConfig ws) {
    this(config, ws, true);
  }

  private WsTransportModule(NetworkConfig config, WsConfig ws, boolean standalone) {
    this.config = config;
    this.ws = ws;
    this.standalone = standalone;
  }

  /**
   * Bindings of the WS network as one network of a hybrid node: only {@code @Named("ws")
   * GossipNode} and {@link WsNetwork}, no unqualified {@link GossipNode} or {@link NetworkConfig}.
   */
  public static WsTransportModule asChild(NetworkConfig config, WsConfig ws) {
    return new WsTransportModule(config, ws, false);
  }

  @Override
  protected void configure() {
    install(new GossipCoreModule());
    if (standalone) {
      bind(NetworkConfig.class).toInstance(config);
      bind(GossipNode.class).to(WsNetwork.class);
    }
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
