package io.gossipnet.http;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.guice.GossipCoreModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/**
 * HTTP services for a node, registered once and served over every transport it runs: install it
 * beside a transport module ({@code WsTransportModule}, {@code P2pTransportModule}, a hybrid
 * module) and contribute handlers from any module:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new WsTransportModule(config), new HttpServicesModule(),
 *     new AbstractModule() {
 *       protected void configure() {
 *         HttpServicesModule.handlers(binder()).addBinding("/v1/{genesisID}/hello/{name}")
 *             .toInstance(req -> HttpResponse.text(200, "hello " + req.pathVariables().get("name")));
 *         HttpServicesModule.routes(binder()).addBinding()
 *             .toInstance(HttpRoute.of("/v1/{genesisID}/echo", req -> HttpResponse.text(200, req.bodyText()), "POST"));
 *       }
 *     });
 * injector.getInstance(GossipNodeService.class).startAsync().awaitRunning();
 * }</pre>
 *
 * <p>Binds:
 *
 * <ul>
 *   <li>{@code MapBinder<String, HttpHandler>} ({@link #handlers}): handlers by path template, for
 *       every method; {@code Multibinder<HttpRoute>} ({@link #routes}): handlers with methods.
 *   <li>{@link HttpServices}, a {@link io.gossipnet.guice.NodeInitializer}: {@code
 *       GossipNodeService} registers everything on the node when it starts, before the node
 *       starts. Building the injector does no I/O.
 *   <li>The built-ins of {@link HttpServicesConfig}: {@code /status}, {@code /v1/peers}, {@code
 *       /metrics} and the {@link BlobService} with its {@link BlobStore} (a singleton: the
 *       application adds blobs with {@code injector.getInstance(BlobStore.class).put(bytes)}).
 *   <li>A {@link PrometheusMeterRegistry} singleton, and (unless {@link
 *       HttpServicesConfig#bindMeterRegistry()} is off) the node's {@link MeterRegistry} to it,
 *       through the {@code OptionalBinder} of {@link GossipCoreModule}: every network of the node
 *       counts in it, each meter with its {@code network} tag, and {@code /metrics} scrapes it.
 * </ul>
 *
 * <p>Installing it twice with equal settings is harmless; with different settings Guice reports
 * the duplicate bindings.
 */
public final class HttpServicesModule extends AbstractModule {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpServicesModule.class);
  private final HttpServicesConfig config;

  /** The services with the defaults of {@link HttpServicesConfig}. */
  public HttpServicesModule() {
    this(HttpServicesConfig.defaults());
  }

  /** The services with these settings. */
  public HttpServicesModule(HttpServicesConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The {@code MapBinder} of handlers by path template (every method): add to it from any module. */
  public static MapBinder<String, HttpHandler> handlers(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, HttpHandler.class);
  }

  /** The {@code Multibinder} of routes with methods: add to it from any module. */
  public static Multibinder<HttpRoute> routes(Binder binder) {
    return Multibinder.newSetBinder(binder, HttpRoute.class);
  }

  @Override
  protected void configure() {
    install(new GossipCoreModule());
    handlers(binder());
    routes(binder());
    bind(HttpServicesConfig.class).toInstance(config);
    if (config.bindMeterRegistry()) {
      OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class).setBinding().to(PrometheusMeterRegistry.class);
    }
    GossipCoreModule.initializers(binder()).addBinding().to(HttpServices.class);
  }

  @Provides
  @Singleton
  PrometheusMeterRegistry prometheusRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // A meter the registry refuses (a name clash of types, for one) would be missing from /metrics: say so.
    registry.config().onMeterRegistrationFailed((id, reason) -> log.warn("meter {} is not exported to Prometheus: {}", id, reason));
    return registry;
  }

  @Provides
  @Singleton
  BlobStore blobStore() {
    return BlobStore.of(config);
  }

  @Provides
  @Singleton
  BlobService blobService(BlobStore store, MeterRegistry registry) {
    return new BlobService(store, config, registry);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpServicesModule m && m.config.equals(config);
  }

  @Override
  public int hashCode() {
    return config.hashCode();
  }
}
