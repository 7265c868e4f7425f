package io.gossipnet.http;

import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.http.PathTemplate;
import java.time.Duration;

/**
 * The settings of the built-in HTTP services, with defaults from the seed's block and health
 * services where it has them. Build with {@link #builder()}; {@link Builder#build()} checks every
 * setting and names the one that is wrong.
 *
 * @param statusPath the health endpoint; {@link #DEFAULT_STATUS_PATH} is the one path the WS
 *     transport exempts from its pending-connection cap, so it answers under load; null turns the
 *     endpoint off
 * @param peersPath the peers endpoint (JSON); null turns it off
 * @param metricsPath the Prometheus endpoint; null turns it off
 * @param blobPath the blob service's template, with a {@code {key}} variable (and usually {@code
 *     {genesisID}}); null turns the service off
 * @param blobPut whether peers may store blobs with {@code PUT} (otherwise only {@code GET} is
 *     served and a {@code PUT} gets 405)
 * @param blobMemoryCap the most bytes the blob store holds (content plus {@link
 *     BlobStore#ENTRY_OVERHEAD} per blob); a {@code PUT} past it gets 503
 * @param maxBlobBytes the largest blob stored or fetched; the node's router refuses larger
 *     request bodies on its own (413 over {@link HttpRouter#maxRequestBodyBytes()}), so raising
 *     this past the router's limit only matters for blobs stored locally
 * @param retryAfter the {@code Retry-After} of a 503 (whole seconds)
 * @param uiPath the live status page ({@code <uiPath>} and its assets under {@code <uiPath>/});
 *     it reads the peers and metrics endpoints, so it is not served when either is off; null
 *     turns it off
 * @param bindMeterRegistry whether {@link HttpServicesModule} binds the node's {@code
 *     MeterRegistry} to its {@code PrometheusMeterRegistry} (an {@code OptionalBinder}
 *     setBinding); false when the application binds its own registry, which must then be a {@code
 *     PrometheusMeterRegistry} or a {@code CompositeMeterRegistry} (the module's Prometheus
 *     registry is added to it)
 */
public record HttpServicesConfig(
    String statusPath,
    String peersPath,
    String metricsPath,
    String blobPath,
    boolean blobPut,
    long blobMemoryCap,
    int maxBlobBytes,
    Duration retryAfter,
    String uiPath,
    boolean bindMeterRegistry) {
  /** The health endpoint: the WS transport's exempt {@code /status}. */
  public static final String DEFAULT_STATUS_PATH = "/status";

  /** The peers endpoint. */
  public static final String DEFAULT_PEERS_PATH = "/v1/peers";

  /** The Prometheus endpoint. */
  public static final String DEFAULT_METRICS_PATH = "/metrics";

  /** The blob service: {@code GET}/{@code PUT /v1/<genesis ID>/blob/<hex SHA-256>}. */
  public static final String DEFAULT_BLOB_PATH = "/v1/{genesisID}/blob/{key}";

  /** The blob store's cap: the seed's {@code BlockServiceMemCap}, 500 MB. */
  public static final long DEFAULT_BLOB_MEMORY_CAP = 500_000_000L;

  /** The largest blob: the router's default request body limit, 1 MiB. */
  public static final int DEFAULT_MAX_BLOB_BYTES = HttpRouter.DEFAULT_MAX_REQUEST_BODY_BYTES;

  /** The live status page. */
  public static final String DEFAULT_UI_PATH = "/ui";

  /** The seed's {@code Retry-After} of a block service at its memory cap: 3 s. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(3);

  /** Checks the settings (see {@link Builder#build()}). */
  public HttpServicesConfig {
    checkPath("statusPath", statusPath);
    checkPath("peersPath", peersPath);
    checkPath("metricsPath", metricsPath);
    checkPath("blobPath", blobPath);
    checkPath("uiPath", uiPath);
    if (uiPath != null && (uiPath.contains("{") || uiPath.endsWith("/"))) {
      throw new IllegalArgumentException("uiPath must be a plain path without a trailing '/', was " + uiPath);
    }
    if (blobPath != null && !blobPath.contains("{key}")) {
      throw new IllegalArgumentException("blobPath must have a {key} variable, was " + blobPath);
    }
    if (blobMemoryCap < 0) {
      throw new IllegalArgumentException("blobMemoryCap must not be negative, was " + blobMemoryCap);
    }
    if (maxBlobBytes < 0) {
      throw new IllegalArgumentException("maxBlobBytes must not be negative, was " + maxBlobBytes);
    }
    if (retryAfter == null || retryAfter.isNegative() || retryAfter.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("retryAfter must be between 0 and 2^31 s, was " + retryAfter);
    }
  }

  private static void checkPath(String name, String path) {
    if (path == null) {
      return;
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(name + " must start with '/', was " + path);
    }
    try {
      PathTemplate.parse(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not a valid path template: " + e.getMessage(), e);
    }
  }

  /** Every default. */
  public static HttpServicesConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.statusPath = statusPath;
    b.peersPath = peersPath;
    b.metricsPath = metricsPath;
    b.blobPath = blobPath;
    b.blobPut = blobPut;
    b.blobMemoryCap = blobMemoryCap;
    b.maxBlobBytes = maxBlobBytes;
    b.retryAfter = retryAfter;
    b.uiPath = uiPath;
    b.bindMeterRegistry = bindMeterRegistry;
    return b;
  }

  /** Builds a {@link HttpServicesConfig}; every setting starts at its default. */
  public static final class Builder {
    private String statusPath = DEFAULT_STATUS_PATH;
    private String peersPath = DEFAULT_PEERS_PATH;
    private String metricsPath = DEFAULT_METRICS_PATH;
    private String blobPath = DEFAULT_BLOB_PATH;
    private boolean blobPut = true;
    private long blobMemoryCap = DEFAULT_BLOB_MEMORY_CAP;
    private int maxBlobBytes = DEFAULT_MAX_BLOB_BYTES;
    private Duration retryAfter = DEFAULT_RETRY_AFTER;
    private String uiPath = DEFAULT_UI_PATH;
    private boolean bindMeterRegistry = true;

    private Builder() {}

    /** See {@link HttpServicesConfig#statusPath()}; null turns the endpoint off. */
    public Builder statusPath(String v) {
      statusPath = v;
      return this;
    }

    /** See {@link HttpServicesConfig#peersPath()}; null turns the endpoint off. */
    public Builder peersPath(String v) {
      peersPath = v;
      return this;
    }

    /** See {@link HttpServicesConfig#metricsPath()}; null turns the endpoint off. */
    public Builder metricsPath(String v) {
      metricsPath = v;
      return this;
    }

    /** See {@link HttpServicesConfig#blobPath()}; null turns the blob service off. */
    public Builder blobPath(String v) {
      blobPath = v;
      return this;
    }

    /** See {@link HttpServicesConfig#blobPut()}. */
    public Builder blobPut(boolean v) {
      blobPut = v;
      return this;
    }

    /** See {@link HttpServicesConfig#blobMemoryCap()}. */
    public Builder blobMemoryCap(long v) {
      blobMemoryCap = v;
      return this;
    }

    /** See {@link HttpServicesConfig#maxBlobBytes()}. */
    public Builder maxBlobBytes(int v) {
      maxBlobBytes = v;
      return this;
    }

    /** See {@link HttpServicesConfig#retryAfter()}. */
    public Builder retryAfter(Duration v) {
      retryAfter = v;
      return this;
    }

    /** See {@link HttpServicesConfig#uiPath()}; null turns the page off. */
    public Builder uiPath(String v) {
      uiPath = v;
      return this;
    }

    /** See {@link HttpServicesConfig#bindMeterRegistry()}. */
    public Builder bindMeterRegistry(boolean v) {
      bindMeterRegistry = v;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming the setting, if a path is not a template starting
     *     with '/', the blob path has no {@code {key}}, a size is negative or {@code retryAfter}
     *     is negative
     */
    public HttpServicesConfig build() {
      return new HttpServicesConfig(statusPath, peersPath, metricsPath, blobPath, blobPut, blobMemoryCap, maxBlobBytes,
          retryAfter, uiPath, bindMeterRegistry);
    }
  }
}
