package io.gossipnet.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.memory.MemoryNetwork;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The service runs the unqualified node with the handlers contributed through Guice; the core
 * module's shared pieces are singletons, and installing the module twice is harmless.
 */
class GossipNodeServiceTest {
  private final MemoryNetwork net = new MemoryNetwork();

  /** A node over the in-memory transport, as a transport module would bind it. */
  private final class MemoryNodeModule extends AbstractModule {
    @Override
    protected void configure() {
      install(new GossipCoreModule());
      Multibinder.newSetBinder(binder(), TaggedHandler.class)
          .addBinding()
          .toInstance(new TaggedHandler(Tags.TX, m -> OutgoingMessage.ignore()));
    }

    @Provides
    @Singleton
    GossipNode node(MeterRegistry registry, IdentityTracker tracker) {
      NetworkConfig config = NetworkConfig.builder("g").listenAddress("mem://a").publicAddress("mem://a").build();
      return NetworkEngine.builder(config, net.transport("a")).meterRegistry(registry).identityTracker(tracker).build();
    }
  }

  @Test
  void theServiceRegistersTheContributedHandlersAndStartsAndStopsTheNode() {
    Injector injector = Guice.createInjector(new MemoryNodeModule(), new GossipCoreModule());
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    assertThat(injector.getInstance(GossipNodeService.class)).isSameAs(service);
    NetworkEngine node = (NetworkEngine) service.node();
    assertThat(node.address()).isEmpty();

    service.startAsync().awaitRunning();
    assertThat(node.address()).contains("mem://a");
    assertThat(node.multiplexer().hasHandler(Tags.TX.code())).isTrue();

    service.stopAsync().awaitTerminated();
    assertThat(node.address()).isEmpty();
  }

  @Test
  void theSharedPiecesAreSingletons() {
    Injector injector = Guice.createInjector(new GossipCoreModule(), new GossipCoreModule());
    assertThat(injector.getInstance(IdentityTracker.class)).isSameAs(injector.getInstance(IdentityTracker.class));
    assertThat(injector.getInstance(IdentitySigner.class)).isSameAs(injector.getInstance(IdentitySigner.class));
    assertThat(injector.getInstance(MeterRegistry.class)).isSameAs(injector.getInstance(MeterRegistry.class));
    assertThat(injector.getInstance(IdentitySigner.class).publicKey()).hasSize(32);
  }
}
