package io.gossipnet.http;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.guice.NodeInitializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the HTTP services on a node before it starts: the handlers and routes contributed
 * through {@link HttpServicesModule#handlers} and {@link HttpServicesModule#routes}, then the
 * built-in {@link StatusEndpoint}, {@link PeersEndpoint}, {@link MetricsEndpoint} and {@link
 * BlobService} at the paths of {@link HttpServicesConfig}. {@link HttpServicesModule} runs it
 * through {@link io.gossipnet.guice.GossipNodeService}; without Guice, call {@link #initialize}
 * before {@code node.start()}.
 *
 * <p>The node has one router whatever its transports (WS, P2P, both), so each route registered
 * here is served over every transport with the same paths and path variables.
 *
 * <p>Paths: two contributions at the same path fail the start ({@link IllegalStateException}
 * naming it). A built-in gives way to a contribution at its path, and to a route the node already
 * has there (for example the node CLI's own {@code /status}, registered before the service
 * starts; checked on a {@link io.gossipnet.core.http.RoutedNode}, whose router can be read: an
 * engine or a hybrid node).
 *
 * <p>Metrics: {@code /metrics} scrapes the node's {@code MeterRegistry} when it is a {@link
 * PrometheusMeterRegistry} (what {@link HttpServicesModule} binds by default); when it is a
 * {@link CompositeMeterRegistry}, its Prometheus member, or else the module's own Prometheus
 * registry, added to it. Any other registry fails the start with a message.
 */
@Singleton
public final class HttpServices implements NodeInitializer {
  private static final Logger log = LoggerFactory.getLogger(HttpServices.class);

  private final HttpServicesConfig config;
  private final MeterRegistry registry;
  private final PrometheusMeterRegistry ownPrometheus;
  private final BlobService blobs;
  private final Map<String, HttpHandler> handlers;
  private final Set<HttpRoute> routes;
  private final JsonMapper json = JsonMapper.builder().build();

  /**
   * The services of one node.
   *
   * @param config paths and limits
   * @param registry the node's meter registry (the one its engines count in)
   * @param ownPrometheus a Prometheus registry to add to {@code registry} when that is a composite
   *     without one
   * @param blobs the blob service (registered only when {@link HttpServicesConfig#blobPath()} is set)
   * @param handlers handlers by path template, for every method
   * @param routes handlers with their methods
   */
  @Inject
  public HttpServices(HttpServicesConfig config, MeterRegistry registry, PrometheusMeterRegistry ownPrometheus,
      BlobService blobs, Map<String, HttpHandler> handlers, Set<HttpRoute> routes) {
    this.config = config;
    this.registry = registry;
    this.ownPrometheus = ownPrometheus;
    this.blobs = blobs;
    this.handlers = Map.copyOf(handlers);
    this.routes = Set.copyOf(routes);
  }

  /** The blob service. */
  public BlobService blobService() {
    return blobs;
  }

  /** The config. */
  public HttpServicesConfig config() {
    return config;
  }

  @Override
  public void initialize(GossipNode node) {
    Set<String> existing = new HashSet<>(node instanceof io.gossipnet.core.http.RoutedNode r ? r.httpRouter().templates() : List.of());
    Map<String, HttpRoute> contributed = new LinkedHashMap<>();
    List<HttpRoute> all = new ArrayList<>();
    handlers.forEach((path, handler) -> all.add(new HttpRoute(path, Set.of(), handler)));
    all.addAll(routes);
    for (HttpRoute r : all) {
      String path = r.path().replace("{genesisID}", node.genesisId());
      if (contributed.putIfAbsent(path, r) != null) {
        throw new IllegalStateException("two HTTP services are contributed at " + r.path());
      }
    }
    for (HttpRoute r : contributed.values()) {
      node.registerHttpHandler(r.path(), r.methods(), r.handler());
    }
    Set<String> taken = new HashSet<>(existing);
    taken.addAll(contributed.keySet());
    builtIn(node, taken, config.statusPath(), Set.of(), () -> new StatusEndpoint(node, json));
    builtIn(node, taken, config.peersPath(), Set.of("GET"), () -> new PeersEndpoint(node, json));
    if (config.metricsPath() != null) {
      PrometheusMeterRegistry scraped = prometheus();
      builtIn(node, taken, config.metricsPath(), Set.of("GET"), () -> new MetricsEndpoint(scraped));
    }
    if (config.uiPath() != null && (config.peersPath() == null || config.metricsPath() == null)) {
      log.info("HTTP services: the status page {} reads the peers and metrics endpoints; with one of them off it is not served", config.uiPath());
    } else if (config.uiPath() != null) {
      UiEndpoint ui = new UiEndpoint(config.uiPath(), config.peersPath(), config.metricsPath(), node.genesisId());
      builtIn(node, taken, config.uiPath(), Set.of("GET"), () -> ui);
      builtIn(node, taken, config.uiPath() + "/{asset}", Set.of("GET"), () -> ui);
    }
    if (config.blobPath() != null) {
      String path = config.blobPath().replace("{genesisID}", node.genesisId());
      if (taken.contains(path)) {
        log.info("HTTP services: {} is already served; the blob service is not registered", config.blobPath());
      } else {
        blobs.register(node);
      }
    }
  }

  private void builtIn(GossipNode node, Set<String> taken, String path, Set<String> methods, java.util.function.Supplier<HttpHandler> handler) {
    if (path == null) {
      return;
    }
    if (taken.contains(path.replace("{genesisID}", node.genesisId()))) {
      // The application's own handler wins (gossipnet run registers its /status, say).
      log.debug("HTTP services: {} is already served; the built-in endpoint is not registered", path);
      return;
    }
    node.registerHttpHandler(path, methods, handler.get());
  }

  private PrometheusMeterRegistry prometheus() {
    if (registry instanceof PrometheusMeterRegistry p) {
      return p;
    }
    if (registry instanceof CompositeMeterRegistry c) {
      for (MeterRegistry r : c.getRegistries()) {
        if (r instanceof PrometheusMeterRegistry p) {
          return p;
        }
      }
      c.add(ownPrometheus);
      return ownPrometheus;
    }
    throw new IllegalStateException("the node's MeterRegistry is a " + registry.getClass().getName()
        + ": " + config.metricsPath() + " needs a PrometheusMeterRegistry or a CompositeMeterRegistry"
        + " (HttpServicesConfig.bindMeterRegistry(true) binds one; metricsPath(null) turns the endpoint off)");
  }
}
