package io.gossipnet.p2p;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of the P2P transport beyond {@link io.gossipnet.core.NetworkConfig}.
 *
 * @param privateKey the node's Ed25519 key: its peer ID, and the identity its peers see (load one
 *     with {@link PeerKeyFile#obtain})
 * @param dhtProviders the seed's {@code EnableDHTProviders}: Kademlia discovery and capability
 *     advertisement, and twice the outbound connection budget
 * @param streamTimeout how long opening the gossip stream may take, and then its start-of-stream
 *     exchange: a deadline for the whole exchange (the stream is reset at it and refused with
 *     {@code exchange_timeout}), not a timeout of each read
 * @param httpTimeout the read timeout of one peer HTTP request
 * @param maxHttpResponseBody the largest HTTP response body read by peer clients
 * @param forceFetchTransactions the seed's {@code ForceFetchTransactions}: subscribe to TX gossip
 *     even when the node neither relays nor participates
 * @param dhtMode the seed's {@code DHTMode}: {@link DhtMode#AUTO} serves the DHT when the node
 *     listens and is a client otherwise
 * @param networkId the network's name in the DHT protocol {@code /algorand/kad/<networkId>/kad/1.0.0};
 *     empty means the genesis ID
 * @param archival advertise the {@code archival} capability (the seed's {@code Archival})
 * @param catchpointStoring advertise the {@code catchpointStoring} capability
 * @param keepAliveInterval how often a connection is sent a Yamux keep-alive ping; one left
 *     unanswered for another interval closes the connection, so a peer cut off by a partition is
 *     dropped within two intervals and the mesh dials it again (zero: no pings, a dead connection
 *     lasts until TCP gives up)
 * @param dialTimeout how long a dialed connection may take to be set up (TCP connect, Noise,
 *     Yamux); the mesh gives up the attempt after it
 */
public record P2PConfig(
    PrivateKey privateKey,
    boolean dhtProviders,
    Duration streamTimeout,
    Duration httpTimeout,
    long maxHttpResponseBody,
    boolean forceFetchTransactions,
    DhtMode dhtMode,
    String networkId,
    boolean archival,
    boolean catchpointStoring,
    Duration keepAliveInterval,
    Duration dialTimeout) {
  /** Default {@link #streamTimeout()}. */
  public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofSeconds(10);
  /** Default {@link #httpTimeout()}. */
  public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #maxHttpResponseBody()}. */
  public static final long DEFAULT_MAX_HTTP_RESPONSE_BODY = 16L << 20;
  /** Default {@link #keepAliveInterval()}: the libp2p host's, 30 s. */
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = io.gossipnet.libp2p.host.HostConfig.DEFAULT_KEEP_ALIVE_INTERVAL;
  /** Default {@link #dialTimeout()}: the libp2p host's connection set-up timeout, 10 s. */
  public static final Duration DEFAULT_DIAL_TIMEOUT = io.gossipnet.libp2p.host.HostConfig.DEFAULT_HANDSHAKE_TIMEOUT;

  /** Checks the settings. */
  public P2PConfig {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(streamTimeout, "streamTimeout");
    Objects.requireNonNull(httpTimeout, "httpTimeout");
    Objects.requireNonNull(dhtMode, "dhtMode");
    Objects.requireNonNull(networkId, "networkId");
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    Objects.requireNonNull(dialTimeout, "dialTimeout");
    if (dialTimeout.isNegative() || dialTimeout.isZero()) {
      throw new IllegalArgumentException("dialTimeout must be positive, was " + dialTimeout);
    }
    if (keepAliveInterval.isNegative()) {
      throw new IllegalArgumentException("keepAliveInterval must not be negative, was " + keepAliveInterval);
    }
    if (streamTimeout.isNegative() || streamTimeout.isZero() || httpTimeout.isNegative() || httpTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxHttpResponseBody < 0) {
      throw new IllegalArgumentException("maxHttpResponseBody must not be negative");
    }
  }

  /** The seed's {@code DHTMode}. */
  public enum DhtMode {
    /** Server when the node listens, else client (the seed's empty setting). */
    AUTO,
    /** Always answer DHT requests. */
    SERVER,
    /** Only ask. */
    CLIENT
  }

  /** The base58 peer ID of {@link #privateKey()}: what a {@code /p2p/<id>} address names. */
  public String peerId() {
    return privateKey.publicKey().toPeerId().toBase58();
  }

  /** Defaults with a freshly generated key (not persisted). */
  public static P2PConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link P2PConfig}. */
  public static final class Builder {
    private PrivateKey privateKey;
    private boolean dhtProviders;
    private Duration streamTimeout = DEFAULT_STREAM_TIMEOUT;
    private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
    private long maxHttpResponseBody = DEFAULT_MAX_HTTP_RESPONSE_BODY;
    private boolean forceFetchTransactions;
    private DhtMode dhtMode = DhtMode.AUTO;
    private String networkId = "";
    private boolean archival;
    private boolean catchpointStoring;
    private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
    private Duration dialTimeout = DEFAULT_DIAL_TIMEOUT;

    private Builder() {}

    /** See {@link P2PConfig#dialTimeout()}. */
    public Builder dialTimeout(Duration timeout) {
      this.dialTimeout = timeout;
      return this;
    }

    /** See {@link P2PConfig#keepAliveInterval()}. */
    public Builder keepAliveInterval(Duration interval) {
      this.keepAliveInterval = interval;
      return this;
    }

    /** See {@link P2PConfig#dhtMode()}. */
    public Builder dhtMode(DhtMode mode) {
      this.dhtMode = mode;
      return this;
    }

    /** See {@link P2PConfig#networkId()}. */
    public Builder networkId(String id) {
      this.networkId = id;
      return this;
    }

    /** See {@link P2PConfig#archival()}. */
    public Builder archival(boolean on) {
      this.archival = on;
      return this;
    }

    /** See {@link P2PConfig#catchpointStoring()}. */
    public Builder catchpointStoring(boolean on) {
      this.catchpointStoring = on;
      return this;
    }

    /** See {@link P2PConfig#forceFetchTransactions()}. */
    public Builder forceFetchTransactions(boolean on) {
      this.forceFetchTransactions = on;
      return this;
    }

    /** See {@link P2PConfig#privateKey()}; a fresh key when not set. */
    public Builder privateKey(PrivateKey key) {
      this.privateKey = key;
      return this;
    }

    /**
     * The key as the seed finds it ({@link PeerKeyFile#obtain}): the file {@code explicitKey} if
     * given (it must exist), else {@code <dataDir>/peerIDPrivKey.key} if it exists, else a new key,
     * saved there when {@code persist}.
     *
     * @throws PeerKeyException naming the file when it is missing, corrupt or readable by others
     */
    public Builder key(java.nio.file.Path explicitKey, java.nio.file.Path dataDir, boolean persist) throws PeerKeyException {
      this.privateKey = PeerKeyFile.obtain(explicitKey, dataDir, persist);
      return this;
    }

    /** See {@link P2PConfig#dhtProviders()}. */
    public Builder dhtProviders(boolean on) {
      this.dhtProviders = on;
      return this;
    }

    /** See {@link P2PConfig#streamTimeout()}. */
    public Builder streamTimeout(Duration d) {
      this.streamTimeout = d;
      return this;
    }

    /** See {@link P2PConfig#httpTimeout()}. */
    public Builder httpTimeout(Duration d) {
      this.httpTimeout = d;
      return this;
    }

    /** See {@link P2PConfig#maxHttpResponseBody()}. */
    public Builder maxHttpResponseBody(long max) {
      this.maxHttpResponseBody = max;
      return this;
    }

    /** The settings. */
    public P2PConfig build() {
      return new P2PConfig(
          privateKey != null ? privateKey : PrivateKey.generate(), dhtProviders, streamTimeout, httpTimeout, maxHttpResponseBody, forceFetchTransactions,
          dhtMode, networkId, archival, catchpointStoring, keepAliveInterval, dialTimeout);
    }
  }
}
