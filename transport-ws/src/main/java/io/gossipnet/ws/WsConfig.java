package io.gossipnet.ws;

import io.gossipnet.core.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The WebSocket transport's own settings, immutable; the network-wide ones are in {@link
 * io.gossipnet.core.NetworkConfig}. Build one with {@link #builder()}; {@link Builder#build()}
 * rejects bad values with a message that names the setting.
 *
 * @param gossipPath the gossip endpoint; {@code {genesisID}} is the genesis path variable
 * @param headers the handshake header names
 * @param protocolVersion the protocol version this node speaks by default
 * @param supportedVersions every protocol version this node accepts, preferred first
 * @param features the peer features this node advertises ({@code X-Algorand-Peer-Features})
 * @param userAgent the {@code User-Agent} of handshake and HTTP requests
 * @param telemetryGuid the telemetry ID sent in handshakes, or empty
 * @param instanceName the instance name sent in handshakes, or empty
 * @param maxMessageSize the largest WebSocket message (tag + payload) read from a peer
 * @param maxHeaderSize the largest request or response header block, in bytes
 * @param handshakeTimeout how long a dial may take, upgrade included
 * @param connectTimeout how long the TCP connect of a dial may take
 * @param readHeaderTimeout how long an HTTP connection may stay idle before its request arrives
 * @param pingInterval a connection that received nothing for this long is sent a WebSocket ping
 *     (zero: never); not in the seed, but every WebSocket peer answers pings, and it finds dead
 *     connections (a partitioned host) long before the idle timeout
 * @param pongTimeout a connection that received nothing, not even a pong, for {@code pingInterval
 *     + pongTimeout} is closed as failed
 * @param maxOutstandingFrames frames queued to Jetty per connection before a write waits
 * @param ioBufferSize Jetty's per-connection input and output buffer size
 * @param reservedHealthConnections connections above the incoming limit kept for {@code /status}
 * @param disableLocalhostConnectionRateLimit exempt loopback addresses from the per-IP rate limit
 * @param useXForwardedFor take the remote host from the last {@code X-Forwarded-For} value
 * @param resolveLocationHost also accept an {@code X-Algorand-Location} whose host name resolves
 *     (DNS) to the connecting address, not only a literal match as in the seed; lets the mesh
 *     recognise peers that announce container or DNS names
 * @param maxRequestBodySize the largest HTTP request body served to handlers: the body limit of
 *     the router the engine makes when it is given none (an injected router keeps its own)
 * @param maxResponseBodySize the largest HTTP response body read by peer clients
 * @param tlsCertFile PEM certificate chain; with {@code tlsKeyFile}, the server speaks https/wss
 * @param tlsKeyFile PEM PKCS#8 private key matching {@code tlsCertFile}
 * @param trustAllCertificates accept any server certificate when dialing wss (tests, private
 *     networks with self-signed certificates); otherwise the JDK's trust store decides
 * @param frameBufferBudget the bytes this node holds at most, over all its connections, in
 *     buffers for WebSocket frames that arrived in part: a frame header is checked against {@code
 *     maxMessageSize} at once (1009 when over), and a frame under it that does not fit the input
 *     buffer is given a buffer of its announced length, so without a budget every slow or
 *     malicious peer could make the node hold {@code maxMessageSize} for a few bytes sent; a frame
 *     that would go over the budget closes its connection with 1009 instead
 */
public record WsConfig(
    String gossipPath,
    WsHeaderNames headers,
    String protocolVersion,
    List<String> supportedVersions,
    Set<String> features,
    String userAgent,
    String telemetryGuid,
    String instanceName,
    int maxMessageSize,
    int maxHeaderSize,
    Duration handshakeTimeout,
    Duration connectTimeout,
    Duration readHeaderTimeout,
    Duration pingInterval,
    Duration pongTimeout,
    int maxOutstandingFrames,
    int ioBufferSize,
    int reservedHealthConnections,
    boolean disableLocalhostConnectionRateLimit,
    boolean useXForwardedFor,
    boolean resolveLocationHost,
    int maxRequestBodySize,
    int maxResponseBodySize,
    Path tlsCertFile,
    Path tlsKeyFile,
    boolean trustAllCertificates,
    long frameBufferBudget) {

  /** Default {@link #gossipPath()}. */
  public static final String DEFAULT_GOSSIP_PATH = "/v1/{genesisID}/gossip";
  /** Default {@link #protocolVersion()}. */
  public static final String DEFAULT_PROTOCOL_VERSION = "2.2";
  /** Default {@link #userAgent()}. */
  public static final String DEFAULT_USER_AGENT = "gossipnet/0.1 (java)";
  /** Default {@link #maxMessageSize()}: the tag plus the 6 MiB payload cap. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = Tags.MAX_MESSAGE_LENGTH + 2;
  /** Default {@link #maxHeaderSize()}. */
  public static final int DEFAULT_MAX_HEADER_SIZE = 4096;
  /** Default {@link #handshakeTimeout()}. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(45);
  /** Default {@link #connectTimeout()}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #readHeaderTimeout()}. */
  public static final Duration DEFAULT_READ_HEADER_TIMEOUT = Duration.ofSeconds(10);
  /** Default {@link #pingInterval()}. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
  /** Default {@link #pongTimeout()}. */
  public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(20);
  /** Default {@link #maxOutstandingFrames()}. */
  public static final int DEFAULT_MAX_OUTSTANDING_FRAMES = 1024;
  /** Default {@link #ioBufferSize()}. */
  public static final int DEFAULT_IO_BUFFER_SIZE = 32 * 1024;
  /** Default {@link #reservedHealthConnections()}. */
  public static final int DEFAULT_RESERVED_HEALTH_CONNECTIONS = 10;
  /** Default {@link #maxRequestBodySize()}. */
  public static final int DEFAULT_MAX_REQUEST_BODY_SIZE = 1 << 20;
  /** Default {@link #maxResponseBodySize()}. */
  public static final int DEFAULT_MAX_RESPONSE_BODY_SIZE = 16 << 20;
  /** Default {@link #frameBufferBudget()}: 256 MiB, about 40 frames of the largest size at once. */
  public static final long DEFAULT_FRAME_BUFFER_BUDGET = 256L << 20;

  /** Normalises collections. Use the builder, which also validates. */
  public WsConfig {
    supportedVersions = List.copyOf(supportedVersions);
    features = Set.copyOf(features);
  }

  /** Whether the server speaks TLS (both files configured). */
  public boolean tls() {
    return tlsCertFile != null && tlsKeyFile != null;
  }

  /** The defaults. */
  public static WsConfig defaults() {
    return builder().build();
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.gossipPath = gossipPath;
    b.headers = headers;
    b.protocolVersion = protocolVersion;
    b.supportedVersions = supportedVersions;
    b.features = features;
    b.userAgent = userAgent;
    b.telemetryGuid = telemetryGuid;
    b.instanceName = instanceName;
    b.maxMessageSize = maxMessageSize;
    b.maxHeaderSize = maxHeaderSize;
    b.handshakeTimeout = handshakeTimeout;
    b.connectTimeout = connectTimeout;
    b.readHeaderTimeout = readHeaderTimeout;
    b.pingInterval = pingInterval;
    b.pongTimeout = pongTimeout;
    b.maxOutstandingFrames = maxOutstandingFrames;
    b.ioBufferSize = ioBufferSize;
    b.reservedHealthConnections = reservedHealthConnections;
    b.disableLocalhostConnectionRateLimit = disableLocalhostConnectionRateLimit;
    b.useXForwardedFor = useXForwardedFor;
    b.resolveLocationHost = resolveLocationHost;
    b.maxRequestBodySize = maxRequestBodySize;
    b.maxResponseBodySize = maxResponseBodySize;
    b.tlsCertFile = tlsCertFile;
    b.tlsKeyFile = tlsKeyFile;
    b.trustAllCertificates = trustAllCertificates;
    b.frameBufferBudget = frameBufferBudget;
    return b;
  }

  /** Builds a {@link WsConfig}; {@link #build()} validates. */
  public static final class Builder {
    private String gossipPath = DEFAULT_GOSSIP_PATH;
    private WsHeaderNames headers = WsHeaderNames.defaults();
    private String protocolVersion = DEFAULT_PROTOCOL_VERSION;
    private List<String> supportedVersions = List.of(DEFAULT_PROTOCOL_VERSION);
    private Set<String> features = Set.of();
    private String userAgent = DEFAULT_USER_AGENT;
    private String telemetryGuid = "";
    private String instanceName = "";
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readHeaderTimeout = DEFAULT_READ_HEADER_TIMEOUT;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
    private int maxOutstandingFrames = DEFAULT_MAX_OUTSTANDING_FRAMES;
    private int ioBufferSize = DEFAULT_IO_BUFFER_SIZE;
    private int reservedHealthConnections = DEFAULT_RESERVED_HEALTH_CONNECTIONS;
    private boolean disableLocalhostConnectionRateLimit = true;
    private boolean useXForwardedFor;
    private boolean resolveLocationHost = true;
    private int maxRequestBodySize = DEFAULT_MAX_REQUEST_BODY_SIZE;
    private int maxResponseBodySize = DEFAULT_MAX_RESPONSE_BODY_SIZE;
    private Path tlsCertFile;
    private Path tlsKeyFile;
    private boolean trustAllCertificates;
    private long frameBufferBudget = DEFAULT_FRAME_BUFFER_BUDGET;

    private Builder() {}

    /** See {@link WsConfig#gossipPath()}. */
    public Builder gossipPath(String v) { gossipPath = v; return this; }
    /** See {@link WsConfig#headers()}. */
    public Builder headers(WsHeaderNames v) { headers = v; return this; }
    /** See {@link WsConfig#protocolVersion()}. */
    public Builder protocolVersion(String v) { protocolVersion = v; return this; }
    /** See {@link WsConfig#supportedVersions()}. */
    public Builder supportedVersions(List<String> v) { supportedVersions = v; return this; }
    /** See {@link WsConfig#features()}. */
    public Builder features(Set<String> v) { features = v; return this; }
    /** See {@link WsConfig#userAgent()}. */
    public Builder userAgent(String v) { userAgent = v; return this; }
    /** See {@link WsConfig#telemetryGuid()}. */
    public Builder telemetryGuid(String v) { telemetryGuid = v; return this; }
    /** See {@link WsConfig#instanceName()}. */
    public Builder instanceName(String v) { instanceName = v; return this; }
    /** See {@link WsConfig#maxMessageSize()}. */
    public Builder maxMessageSize(int v) { maxMessageSize = v; return this; }
    /** See {@link WsConfig#maxHeaderSize()}. */
    public Builder maxHeaderSize(int v) { maxHeaderSize = v; return this; }
    /** See {@link WsConfig#handshakeTimeout()}. */
    public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
    /** See {@link WsConfig#connectTimeout()}. */
    public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
    /** See {@link WsConfig#readHeaderTimeout()}. */
    public Builder readHeaderTimeout(Duration v) { readHeaderTimeout = v; return this; }
    /** See {@link WsConfig#pingInterval()}. */
    public Builder pingInterval(Duration v) { pingInterval = v; return this; }
    /** See {@link WsConfig#pongTimeout()}. */
    public Builder pongTimeout(Duration v) { pongTimeout = v; return this; }
    /** See {@link WsConfig#maxOutstandingFrames()}. */
    public Builder maxOutstandingFrames(int v) { maxOutstandingFrames = v; return this; }
    /** See {@link WsConfig#ioBufferSize()}. */
    public Builder ioBufferSize(int v) { ioBufferSize = v; return this; }
    /** See {@link WsConfig#reservedHealthConnections()}. */
    public Builder reservedHealthConnections(int v) { reservedHealthConnections = v; return this; }
    /** See {@link WsConfig#disableLocalhostConnectionRateLimit()}. */
    public Builder disableLocalhostConnectionRateLimit(boolean v) { disableLocalhostConnectionRateLimit = v; return this; }
    /** See {@link WsConfig#useXForwardedFor()}. */
    public Builder useXForwardedFor(boolean v) { useXForwardedFor = v; return this; }
    /** See {@link WsConfig#resolveLocationHost()}. */
    public Builder resolveLocationHost(boolean v) { resolveLocationHost = v; return this; }
    /** See {@link WsConfig#maxRequestBodySize()}. */
    public Builder maxRequestBodySize(int v) { maxRequestBodySize = v; return this; }
    /** See {@link WsConfig#maxResponseBodySize()}. */
    public Builder maxResponseBodySize(int v) { maxResponseBodySize = v; return this; }
    /** See {@link WsConfig#tlsCertFile()} and {@link WsConfig#tlsKeyFile()}. */
    public Builder tls(Path certFile, Path keyFile) { tlsCertFile = certFile; tlsKeyFile = keyFile; return this; }
    /** See {@link WsConfig#trustAllCertificates()}. */
    public Builder trustAllCertificates(boolean v) { trustAllCertificates = v; return this; }
    /** See {@link WsConfig#frameBufferBudget()}. */
    public Builder frameBufferBudget(long v) { frameBufferBudget = v; return this; }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first bad setting
     */
    public WsConfig build() {
      require(gossipPath != null && gossipPath.startsWith("/"), "gossipPath must start with '/': " + gossipPath);
      require(headers != null, "headers must be set");
      require(protocolVersion != null && !protocolVersion.isBlank(), "protocolVersion must not be blank");
      require(supportedVersions != null && !supportedVersions.isEmpty(), "supportedVersions must not be empty");
      require(features != null, "features must not be null");
      require(userAgent != null && isPrintableAscii(userAgent), "userAgent must be printable ASCII");
      require(telemetryGuid != null && isPrintableAscii(telemetryGuid), "telemetryGuid must be printable ASCII");
      require(instanceName != null && isPrintableAscii(instanceName), "instanceName must be printable ASCII");
      require(maxMessageSize >= 2, "maxMessageSize must be at least 2 (the tag), was " + maxMessageSize);
      require(maxHeaderSize >= 1024, "maxHeaderSize must be at least 1024, was " + maxHeaderSize);
      requirePositive(handshakeTimeout, "handshakeTimeout");
      requirePositive(connectTimeout, "connectTimeout");
      requirePositive(readHeaderTimeout, "readHeaderTimeout");
      require(pingInterval != null && !pingInterval.isNegative(), "pingInterval must not be negative, was " + pingInterval);
      requirePositive(pongTimeout, "pongTimeout");
      require(maxOutstandingFrames >= 1, "maxOutstandingFrames must be at least 1, was " + maxOutstandingFrames);
      require(ioBufferSize >= 1024, "ioBufferSize must be at least 1024, was " + ioBufferSize);
      require(reservedHealthConnections >= 0, "reservedHealthConnections must not be negative, was " + reservedHealthConnections);
      require(maxRequestBodySize >= 0, "maxRequestBodySize must not be negative, was " + maxRequestBodySize);
      require(maxResponseBodySize >= 0, "maxResponseBodySize must not be negative, was " + maxResponseBodySize);
      require(frameBufferBudget >= maxMessageSize,
          "frameBufferBudget must hold at least one message of maxMessageSize (" + maxMessageSize + "), was " + frameBufferBudget);
      require((tlsCertFile == null) == (tlsKeyFile == null), "tlsCertFile and tlsKeyFile must be set together");
      if (tlsCertFile != null) {
        require(Files.isReadable(tlsCertFile), "tlsCertFile is not readable: " + tlsCertFile);
        require(Files.isReadable(tlsKeyFile), "tlsKeyFile is not readable: " + tlsKeyFile);
      }
      return new WsConfig(
          gossipPath, headers, protocolVersion, supportedVersions, features, userAgent, telemetryGuid,
          instanceName, maxMessageSize, maxHeaderSize, handshakeTimeout, connectTimeout, readHeaderTimeout,
          pingInterval, pongTimeout, maxOutstandingFrames, ioBufferSize, reservedHealthConnections, disableLocalhostConnectionRateLimit,
          useXForwardedFor, resolveLocationHost, maxRequestBodySize, maxResponseBodySize, tlsCertFile, tlsKeyFile, trustAllCertificates,
          frameBufferBudget);
    }

    private static boolean isPrintableAscii(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          return false;
        }
      }
      return true;
    }

    private static void requirePositive(Duration d, String name) {
      require(d != null && !d.isNegative() && !d.isZero(), name + " must be positive, was " + d);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("WsConfig: " + message);
      }
    }
  }
}
