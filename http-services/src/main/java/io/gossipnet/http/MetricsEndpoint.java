package io.gossipnet.http;

import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The node's meters in the Prometheus text format (0.0.4), scraped from a Micrometer {@link
 * PrometheusMeterRegistry}: the engine's {@code gossipnet_*} meters, each with its {@code network}
 * label ({@code ws}, {@code p2p}, {@code mem}), the blob service's and whatever else the
 * application registers there.
 */
public final class MetricsEndpoint implements HttpHandler {
  /** The content type of the Prometheus text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  /** Scrapes {@code registry}. */
  public MetricsEndpoint(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    return new HttpResponse(200, Map.of("content-type", List.of(CONTENT_TYPE), "cache-control", List.of("no-store")),
        registry.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
