package io.gossipnet.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.memory.MemoryNetwork;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
  void initializersRunInBindingOrderOnTheNodeBeforeItStarts() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    Injector injector = Guice.createInjector(new MemoryNodeModule(), new AbstractModule() {
      @Override
      protected void configure() {
        GossipCoreModule.initializers(binder()).addBinding().toInstance(node -> {
          ran.add("first, started: " + node.address().isPresent());
          node.registerHttpHandler("/hello", req -> HttpResponse.text(200, "hello"));
        });
        GossipCoreModule.initializers(binder()).addBinding().toInstance(node -> ran.add("second"));
      }
    });
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    assertThat(ran).as("building the injector runs nothing").isEmpty();
    service.startAsync().awaitRunning();
    try {
      assertThat(ran).containsExactly("first, started: false", "second");
      NetworkEngine node = (NetworkEngine) service.node();
      assertThat(node.httpRouter().serve(HttpRequest.get("/hello")).get().bodyText()).isEqualTo("hello");
    } finally {
      service.stopAsync().awaitTerminated();
    }
  }

  @Test
  void aFailingInitializerFailsTheStartAndTheNodeIsNotStarted() {
    Injector injector = Guice.createInjector(new MemoryNodeModule(), new AbstractModule() {
      @Override
      protected void configure() {
        GossipCoreModule.initializers(binder()).addBinding().toInstance(node -> {
          throw new IllegalStateException("no room for the services");
        });
      }
    });
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    assertThatThrownBy(() -> service.startAsync().awaitRunning()).isInstanceOf(IllegalStateException.class);
    assertThat(service.failureCause()).hasMessage("no room for the services");
    assertThat(service.node().address()).isEmpty();
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
