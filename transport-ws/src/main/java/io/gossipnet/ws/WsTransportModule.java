package io.gossipnet.ws;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.TaggedHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Guice bindings of the WebSocket transport: {@link GossipNode} and {@link WsNetwork} (one
 * singleton), {@link GossipNodeService} to start and stop it, an empty {@code
 * Multibinder<TaggedHandler>} for handlers and a default {@link MeterRegistry} (a {@link
 * SimpleMeterRegistry}, replaceable with {@code OptionalBinder.setBinding()}).
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
    bind(NetworkConfig.class).toInstance(config);
    bind(WsConfig.class).toInstance(ws);
    Multibinder.newSetBinder(binder(), TaggedHandler.class);
    OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class).setDefault().to(SimpleMeterRegistry.class);
    bind(SimpleMeterRegistry.class).in(Singleton.class);
    bind(GossipNode.class).to(WsNetwork.class);
    bind(GossipNodeService.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  WsNetwork network(NetworkConfig c, WsConfig w, MeterRegistry registry) {
    return new WsNetwork(c, w, registry);
  }
}
