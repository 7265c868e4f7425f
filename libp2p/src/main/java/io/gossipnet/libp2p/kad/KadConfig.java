package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.List;

/**
 * DHT parameters.
 *
 * @param protocolId the stream protocol ({@code /ipfs/kad/1.0.0}; go-algorand uses {@code /algorand/kad/<network>})
 * @param serverMode serve requests (register the protocol); clients only ask
 * @param k bucket size and number of closest peers a query converges on
 * @param alpha concurrent requests per query
 * @param requestTimeout deadline of one request to one peer
 * @param queryTimeout deadline of a whole iterative query
 * @param providerTtl how long a provider record is kept
 * @param reprovideInterval how often our own provider records are re-announced
 * @param refreshInterval how often the routing table is refreshed with a self-lookup
 * @param maxMessageSize largest DHT message accepted, checked before it is read
 * @param maxProvidersPerKey provider records kept per key
 * @param bootstrap peers to connect to on start (with {@code /p2p/})
 */
public record KadConfig(String protocolId, boolean serverMode, int k, int alpha, Duration requestTimeout,
    Duration queryTimeout, Duration providerTtl, Duration reprovideInterval, Duration refreshInterval,
    int maxMessageSize, int maxProvidersPerKey, List<Multiaddr> bootstrap) {

  public static final String DEFAULT_PROTOCOL = "/ipfs/kad/1.0.0";
  public static final int DEFAULT_K = 20;
  public static final int DEFAULT_ALPHA = 3;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
  /** 48 h, as js and go. */
  public static final Duration DEFAULT_PROVIDER_TTL = Duration.ofHours(48);
  public static final Duration DEFAULT_REPROVIDE_INTERVAL = Duration.ofHours(22);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;
  public static final int DEFAULT_MAX_PROVIDERS_PER_KEY = 100;

  public KadConfig {
    bootstrap = List.copyOf(bootstrap);
    if (k < 1 || alpha < 1 || maxMessageSize < 1024 || maxProvidersPerKey < 1) {
      throw new IllegalArgumentException("k, alpha, maxProvidersPerKey must be positive, maxMessageSize >= 1024");
    }
    if (!protocolId.startsWith("/")) {
      throw new IllegalArgumentException("protocol ID must start with /: " + protocolId);
    }
  }

  /** Server mode on {@link #DEFAULT_PROTOCOL} with the defaults and no bootstrap peers. */
  public static KadConfig defaults() {
    return new KadConfig(DEFAULT_PROTOCOL, true, DEFAULT_K, DEFAULT_ALPHA, DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_QUERY_TIMEOUT, DEFAULT_PROVIDER_TTL, DEFAULT_REPROVIDE_INTERVAL, DEFAULT_REFRESH_INTERVAL,
        DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_PROVIDERS_PER_KEY, List.of());
  }

  /** This configuration with another protocol ID. */
  public KadConfig withProtocolId(String id) {
    return new KadConfig(id, serverMode, k, alpha, requestTimeout, queryTimeout, providerTtl, reprovideInterval,
        refreshInterval, maxMessageSize, maxProvidersPerKey, bootstrap);
  }

  /** This configuration in server or client mode. */
  public KadConfig withServerMode(boolean server) {
    return new KadConfig(protocolId, server, k, alpha, requestTimeout, queryTimeout, providerTtl, reprovideInterval,
        refreshInterval, maxMessageSize, maxProvidersPerKey, bootstrap);
  }

  /** This configuration with bootstrap peers. */
  public KadConfig withBootstrap(List<Multiaddr> peers) {
    return new KadConfig(protocolId, serverMode, k, alpha, requestTimeout, queryTimeout, providerTtl,
        reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, peers);
  }

  /** This configuration with another provider record lifetime. */
  public KadConfig withProviderTtl(Duration ttl) {
    return new KadConfig(protocolId, serverMode, k, alpha, requestTimeout, queryTimeout, ttl, reprovideInterval,
        refreshInterval, maxMessageSize, maxProvidersPerKey, bootstrap);
  }
}
