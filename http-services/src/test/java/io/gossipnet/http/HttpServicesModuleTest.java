package io.gossipnet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.memory.MemoryNetwork;
import io.gossipnet.guice.GossipCoreModule;
import io.gossipnet.guice.GossipNodeService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What HttpServicesModule binds and when it registers, on a node over core's in-memory transport
 * (requests go straight to the node's router): nothing before the service starts, built-ins that
 * give way to the application's routes, and the meter registry it binds or composes with.
 */
class HttpServicesModuleTest {
  private final MemoryNetwork net = new MemoryNetwork();
  private final List<GossipNodeService> services = new ArrayList<>();

  /** A node over the in-memory transport, bound as a transport module binds its network. */
  private final class MemoryNodeModule extends AbstractModule {
    @Override
    protected void configure() {
      install(new GossipCoreModule());
    }

    @Provides
    @Singleton
    GossipNode node(MeterRegistry registry) {
      NetworkConfig config = NetworkConfig.builder(Contributions.GENESIS).listenAddress("mem://a").publicAddress("mem://a").build();
      return NetworkEngine.builder(config, net.transport("a")).meterRegistry(registry).build();
    }
  }

  @AfterEach
  void stopAll() {
    services.forEach(s -> s.stopAsync().awaitTerminated());
  }

  private Injector injector(Module... modules) {
    List<Module> all = new ArrayList<>(List.of(modules));
    all.add(new MemoryNodeModule());
    return Guice.createInjector(all);
  }

  private NetworkEngine start(Injector injector) {
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    services.add(service);
    service.startAsync().awaitRunning();
    return (NetworkEngine) service.node();
  }

  private static HttpResponse get(NetworkEngine node, String path) throws Exception {
    return node.httpRouter().serve(HttpRequest.get(path)).get();
  }

  @Test
  void routesAreRegisteredWhenTheServiceStartsNotWhenTheInjectorIsBuilt() throws Exception {
    Injector injector = injector(new HttpServicesModule(), new Contributions());
    NetworkEngine node = (NetworkEngine) injector.getInstance(GossipNode.class);
    assertThat(node.httpRouter().templates()).isEmpty();
    start(injector);
    assertThat(node.httpRouter().templates()).contains("/status", "/v1/peers", "/metrics",
        "/v1/" + Contributions.GENESIS + "/blob/{key}", "/v1/" + Contributions.GENESIS + "/hello/{name}");
    assertThat(get(node, Contributions.hello("mem")).bodyText()).isEqualTo("hello mem by GET");
  }

  @Test
  void theNodesRegistryIsThePrometheusRegistryAndMetricsScrapesItWithTheMemNetworkTag() throws Exception {
    Injector injector = injector(new HttpServicesModule());
    assertThat(injector.getInstance(MeterRegistry.class)).isSameAs(injector.getInstance(PrometheusMeterRegistry.class));
    NetworkEngine node = start(injector);
    assertThat(get(node, "/metrics").bodyText().lines())
        .anyMatch(l -> l.startsWith("gossipnet_messages_sent_total{") && l.contains("network=\"mem\""));
  }

  @Test
  void aContributionAtABuiltInsPathAndARouteTheNodeAlreadyHasWin() throws Exception {
    Injector injector = injector(new HttpServicesModule(), new AbstractModule() {
      @Override
      protected void configure() {
        HttpServicesModule.handlers(binder()).addBinding("/status").toInstance(req -> HttpResponse.text(200, "the application's status"));
      }
    });
    NetworkEngine node = (NetworkEngine) injector.getInstance(GossipNode.class);
    // The node CLI registers its own JSON /v1/peers-like routes this way, before the service starts.
    node.registerHttpHandler("/v1/peers", req -> HttpResponse.text(200, "registered on the node"));
    start(injector);
    assertThat(get(node, "/status").bodyText()).isEqualTo("the application's status");
    assertThat(get(node, "/v1/peers").bodyText()).isEqualTo("registered on the node");
    assertThat(get(node, "/metrics").status()).isEqualTo(200);
  }

  @Test
  void twoContributionsAtOnePathFailTheStartNamingIt() {
    Injector injector = injector(new HttpServicesModule(), new Contributions(), new AbstractModule() {
      @Override
      protected void configure() {
        HttpServicesModule.routes(binder()).addBinding().toInstance(HttpRoute.of("/v1/{genesisID}/hello/{name}", req -> HttpResponse.text(200, "again"), "GET"));
      }
    });
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    assertThatThrownBy(() -> service.startAsync().awaitRunning()).isInstanceOf(IllegalStateException.class);
    assertThat(service.failureCause()).hasMessageContaining("/v1/{genesisID}/hello/{name}");
    assertThat(service.node().address()).as("the node did not start").isEmpty();
  }

  @Test
  void withItsOwnCompositeRegistryTheApplicationGetsThePrometheusRegistryAdded() throws Exception {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.add(new SimpleMeterRegistry());
    Injector injector = injector(new HttpServicesModule(HttpServicesConfig.builder().bindMeterRegistry(false).build()), new AbstractModule() {
      @Override
      protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class).setBinding().toInstance(composite);
      }
    });
    NetworkEngine node = start(injector);
    assertThat(composite.getRegistries()).contains(injector.getInstance(PrometheusMeterRegistry.class));
    assertThat(get(node, "/metrics").bodyText()).contains("gossipnet_messages_sent_total{network=\"mem\"}");
  }

  @Test
  void withARegistryPrometheusCannotReadTheStartFailsNamingTheSetting() {
    Injector injector = injector(new HttpServicesModule(HttpServicesConfig.builder().bindMeterRegistry(false).build()));
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    assertThatThrownBy(() -> service.startAsync().awaitRunning()).isInstanceOf(IllegalStateException.class);
    assertThat(service.failureCause()).hasMessageContaining("SimpleMeterRegistry").hasMessageContaining("bindMeterRegistry");
  }

  @Test
  void endpointsTurnedOffAreNotRegisteredAndAReadOnlyBlobServiceRefusesPut() throws Exception {
    HttpServicesConfig config = HttpServicesConfig.builder().peersPath(null).metricsPath(null).blobPut(false).build();
    NetworkEngine node = start(injector(new HttpServicesModule(config)));
    assertThat(node.httpRouter().templates()).containsExactlyInAnyOrder("/status", "/v1/" + Contributions.GENESIS + "/blob/{key}");
    byte[] content = {1, 2, 3};
    HttpResponse put = node.httpRouter().serve(new HttpRequest("PUT", Contributions.blob(BlobStore.keyOf(content)), "", Map.of(), Map.of(), content)).get();
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.header("allow")).isEqualTo("GET");
  }

  @Test
  void aPutOverTheLargestBlobIs413BeforeItIsHashed() throws Exception {
    HttpServicesConfig config = HttpServicesConfig.builder().maxBlobBytes(16).build();
    Injector injector = injector(new HttpServicesModule(config));
    NetworkEngine node = start(injector);
    byte[] content = new byte[17];
    HttpResponse put = node.httpRouter().serve(new HttpRequest("PUT", Contributions.blob(BlobStore.keyOf(content)), "", Map.of(), Map.of(), content)).get();
    assertThat(put.status()).isEqualTo(413);
    assertThat(injector.getInstance(MeterRegistry.class).get("gossipnet.http.blob.refused").tag("reason", "too_large").counter().count()).isEqualTo(1);
  }
}
