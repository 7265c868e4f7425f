package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.List;

/**
 * DHT parameters.
 *
 * @param protocolId the stream protocol: {@code /ipfs/kad/1.0.0} by default; go-libp2p-kad-dht's
 *     {@code ProtocolPrefix(p)} makes it {@code p + "/kad/1.0.0"} ({@link #withProtocolPrefix}), so
 *     go-algorand's prefix {@code /algorand/kad/<network>} gives
 *     {@code /algorand/kad/<network>/kad/1.0.0} ({@link #algorand})
 * @param serverMode serve requests (register the protocol); clients only ask
 * @param k bucket size and number of closest peers a query converges on
 * @param alpha concurrent requests per lookup path (a query with {@code d} disjoint paths has up
 *     to {@code d * alpha} requests in flight)
 * @param disjointPaths number of disjoint lookup paths of an iterative query (S/Kademlia): 0 or 1
 *     is one path, as plain Kademlia; {@code d >= 2} splits the starting peers among {@code d}
 *     paths, each peer is queried by at most one path, and the results of all paths are merged.
 *     At most {@code k}.
 * @param requestTimeout deadline of one request to one peer (dial, stream negotiation and reply together)
 * @param queryTimeout deadline of a whole iterative query
 * @param providerTtl how long a provider record is kept
 * @param reprovideInterval how often our own provider records are re-announced
 * @param refreshInterval how often the routing table is refreshed with a self-lookup (and the
 *     bootstrap peers dialled again while the table is empty)
 * @param maxMessageSize largest DHT message accepted, checked before it is read
 * @param maxProvidersPerKey provider records kept per key
 * @param maxProviderRecords provider records kept in all (announcements beyond are refused)
 * @param bootstrap peers to connect to on start (with {@code /p2p/})
 */
public record KadConfig(String protocolId, boolean serverMode, int k, int alpha, int disjointPaths,
    Duration requestTimeout, Duration queryTimeout, Duration providerTtl, Duration reprovideInterval,
    Duration refreshInterval, int maxMessageSize, int maxProvidersPerKey, int maxProviderRecords,
    List<Multiaddr> bootstrap) {

  public static final String DEFAULT_PROTOCOL = "/ipfs/kad/1.0.0";
  /** What go-libp2p-kad-dht appends to a protocol prefix. */
  public static final String PROTOCOL_SUFFIX = "/kad/1.0.0";
  public static final int DEFAULT_K = 20;
  public static final int DEFAULT_ALPHA = 3;
  /** One lookup path: disjoint paths are off by default. */
  public static final int DEFAULT_DISJOINT_PATHS = 0;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
  /** 48 h, as js and go. */
  public static final Duration DEFAULT_PROVIDER_TTL = Duration.ofHours(48);
  public static final Duration DEFAULT_REPROVIDE_INTERVAL = Duration.ofHours(22);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;
  public static final int DEFAULT_MAX_PROVIDERS_PER_KEY = 100;
  public static final int DEFAULT_MAX_PROVIDER_RECORDS = 100_000;

  public KadConfig {
    bootstrap = List.copyOf(bootstrap);
    if (k < 1 || alpha < 1 || maxMessageSize < 1024 || maxProvidersPerKey < 1 || maxProviderRecords < 1) {
      throw new IllegalArgumentException(
          "k, alpha, maxProvidersPerKey, maxProviderRecords must be positive, maxMessageSize >= 1024");
    }
    if (disjointPaths < 0 || disjointPaths > k) {
      throw new IllegalArgumentException("disjointPaths must be 0 .. k (" + k + "): " + disjointPaths);
    }
    for (Duration d : List.of(requestTimeout, queryTimeout, providerTtl, reprovideInterval, refreshInterval)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("DHT timeouts and intervals must be positive: " + d);
      }
    }
    if (!protocolId.startsWith("/")) {
      throw new IllegalArgumentException("protocol ID must start with /: " + protocolId);
    }
  }

  /** Server mode on {@link #DEFAULT_PROTOCOL} with the defaults and no bootstrap peers. */
  public static KadConfig defaults() {
    return new KadConfig(DEFAULT_PROTOCOL, true, DEFAULT_K, DEFAULT_ALPHA, DEFAULT_DISJOINT_PATHS,
        DEFAULT_REQUEST_TIMEOUT, DEFAULT_QUERY_TIMEOUT, DEFAULT_PROVIDER_TTL, DEFAULT_REPROVIDE_INTERVAL,
        DEFAULT_REFRESH_INTERVAL, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_PROVIDERS_PER_KEY,
        DEFAULT_MAX_PROVIDER_RECORDS, List.of());
  }

  /** The number of lookup paths a query runs: {@code max(1, disjointPaths)}. */
  public int lookupPaths() {
    return Math.max(1, disjointPaths);
  }

  /**
   * go-algorand's DHT ({@code MakeDHT}): protocol prefix {@code /algorand/kad/<networkId>}, server
   * mode for a node that listens and client mode otherwise (its {@code DHTMode} default), values
   * disabled (this DHT never stores values), provider records on.
   *
   * @throws IllegalArgumentException if {@code networkId} is empty or holds a {@code /} or whitespace
   */
  public static KadConfig algorand(String networkId, boolean serverMode) {
    if (networkId == null || networkId.isEmpty() || !networkId.chars().allMatch(c -> c > ' ' && c != '/' && c < 127)) {
      throw new IllegalArgumentException("network ID must be non-empty printable ASCII without '/': " + networkId);
    }
    return defaults().withProtocolPrefix("/algorand/kad/" + networkId).withServerMode(serverMode);
  }

  /** This configuration with go-libp2p-kad-dht's {@code ProtocolPrefix(prefix)}: {@code prefix + "/kad/1.0.0"}. */
  public KadConfig withProtocolPrefix(String prefix) {
    if (prefix == null || !prefix.startsWith("/") || prefix.endsWith("/")) {
      throw new IllegalArgumentException("a protocol prefix starts with / and does not end with it: " + prefix);
    }
    return withProtocolId(prefix + PROTOCOL_SUFFIX);
  }

  /** This configuration with another protocol ID. */
  public KadConfig withProtocolId(String id) {
    return new KadConfig(id, serverMode, k, alpha, disjointPaths, requestTimeout, queryTimeout, providerTtl,
        reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords, bootstrap);
  }

  /** This configuration in server or client mode. */
  public KadConfig withServerMode(boolean server) {
    return new KadConfig(protocolId, server, k, alpha, disjointPaths, requestTimeout, queryTimeout, providerTtl,
        reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords, bootstrap);
  }

  /** This configuration with bootstrap peers. */
  public KadConfig withBootstrap(List<Multiaddr> peers) {
    return new KadConfig(protocolId, serverMode, k, alpha, disjointPaths, requestTimeout, queryTimeout,
        providerTtl, reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords,
        peers);
  }

  /** This configuration with another provider record lifetime. */
  public KadConfig withProviderTtl(Duration ttl) {
    return new KadConfig(protocolId, serverMode, k, alpha, disjointPaths, requestTimeout, queryTimeout, ttl,
        reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords, bootstrap);
  }

  /** This configuration with another bucket size / result count {@code k}. */
  public KadConfig withK(int newK) {
    return new KadConfig(protocolId, serverMode, newK, alpha, disjointPaths, requestTimeout, queryTimeout,
        providerTtl, reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords,
        bootstrap);
  }

  /** This configuration with another per-path concurrency {@code alpha}. */
  public KadConfig withAlpha(int newAlpha) {
    return new KadConfig(protocolId, serverMode, k, newAlpha, disjointPaths, requestTimeout, queryTimeout,
        providerTtl, reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords,
        bootstrap);
  }

  /**
   * This configuration with {@code d} disjoint lookup paths (0 or 1: one path, as plain Kademlia).
   * Each path has its own {@link #alpha()} bound.
   */
  public KadConfig withDisjointPaths(int d) {
    return new KadConfig(protocolId, serverMode, k, alpha, d, requestTimeout, queryTimeout, providerTtl,
        reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords, bootstrap);
  }

  /** This configuration with other per-request and per-query deadlines. */
  public KadConfig withTimeouts(Duration request, Duration query) {
    return new KadConfig(protocolId, serverMode, k, alpha, disjointPaths, request, query, providerTtl,
        reprovideInterval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords, bootstrap);
  }

  /** This configuration with another routing table refresh interval. */
  public KadConfig withRefreshInterval(Duration interval) {
    return new KadConfig(protocolId, serverMode, k, alpha, disjointPaths, requestTimeout, queryTimeout,
        providerTtl, reprovideInterval, interval, maxMessageSize, maxProvidersPerKey, maxProviderRecords,
        bootstrap);
  }

  /** This configuration with another re-provide interval. */
  public KadConfig withReprovideInterval(Duration interval) {
    return new KadConfig(protocolId, serverMode, k, alpha, disjointPaths, requestTimeout, queryTimeout,
        providerTtl, interval, refreshInterval, maxMessageSize, maxProvidersPerKey, maxProviderRecords, bootstrap);
  }

  /** This configuration with other provider store limits (per key and in all). */
  public KadConfig withProviderLimits(int perKey, int total) {
    return new KadConfig(protocolId, serverMode, k, alpha, disjointPaths, requestTimeout, queryTimeout,
        providerTtl, reprovideInterval, refreshInterval, maxMessageSize, perKey, total, bootstrap);
  }
}
