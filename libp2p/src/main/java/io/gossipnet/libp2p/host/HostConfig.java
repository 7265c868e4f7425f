package io.gossipnet.libp2p.host;

import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable host configuration with defaults; build with {@link Host#builder()}.
 *
 * @param identity our Ed25519 key
 * @param listenAddresses TCP multiaddrs to listen on (may be empty for a dial-only host)
 * @param agentVersion the agent version sent in identify
 * @param earlyMuxerNegotiation advertise {@code /yamux/1.0.0} in the Noise payload, skipping
 *     multistream-select for the muxer when the remote advertises it too
 * @param handshakeTimeout time a new connection has to finish TCP + Noise + Yamux set-up
 * @param streamNegotiationTimeout time a stream has to finish multistream-select, from its opening
 *     (the whole negotiation, not each read): a stream still negotiating then is reset
 * @param maxConnections connections in total ({@link #UNLIMITED} for no limit)
 * @param maxInboundConnections inbound connections; more are refused at once
 * @param maxOutboundConnections outbound connections (dials); a dial beyond fails at once
 * @param maxConnectionsPerPeer connections to one peer, counted from the end of their Noise
 *     handshake (one still negotiating its muxer counts); one past it is closed then
 * @param maxInboundStreamsPerConnection streams a remote may have open at once on one connection;
 *     a SYN past it is answered with a reset
 * @param maxBufferedBytesPerConnection memory held for unread data per connection: the data
 *     frame that would take it further resets its stream. A frame costs the buffer it keeps alive
 *     (its own length when it is copied out of a larger one) plus a fixed overhead, so that many
 *     small frames cannot hold more memory than this (see {@link Host#bufferedBytes()})
 * @param maxBufferedBytesTotal the same budget for all connections together
 * @param maxStreamWindow largest Yamux receive window a fast stream grows to
 * @param keepAliveInterval interval of Yamux keep-alive pings; a connection whose ping stays
 *     unanswered for one more interval is closed ({@code Duration.ZERO} turns them off)
 * @param connectionManager watermarks and grace period of the {@link ConnectionManager}
 *     (default: no trimming)
 */
public record HostConfig(
    PrivateKey identity,
    List<Multiaddr> listenAddresses,
    String agentVersion,
    boolean earlyMuxerNegotiation,
    Duration handshakeTimeout,
    Duration streamNegotiationTimeout,
    int maxConnections,
    int maxInboundConnections,
    int maxOutboundConnections,
    int maxConnectionsPerPeer,
    int maxInboundStreamsPerConnection,
    long maxBufferedBytesPerConnection,
    long maxBufferedBytesTotal,
    int maxStreamWindow,
    Duration keepAliveInterval,
    ConnectionManagerConfig connectionManager) {

  /** A connection limit that never applies (go-algorand's {@code -1} limits map to it). */
  public static final int UNLIMITED = Integer.MAX_VALUE;
  /** Default agent version. */
  public static final String DEFAULT_AGENT_VERSION = "gossipnet/0.1.0";
  /** Default handshake timeout. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  /** Default stream negotiation timeout. */
  public static final Duration DEFAULT_STREAM_NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);
  /** Default total connection limit. */
  public static final int DEFAULT_MAX_CONNECTIONS = 512;
  /** Default inbound connection limit. */
  public static final int DEFAULT_MAX_INBOUND_CONNECTIONS = 384;
  /** Default outbound connection limit: the total limit's default (no separate bound). */
  public static final int DEFAULT_MAX_OUTBOUND_CONNECTIONS = DEFAULT_MAX_CONNECTIONS;
  /** Default per-peer connection limit. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_PEER = 2;
  /** Default inbound streams per connection. */
  public static final int DEFAULT_MAX_INBOUND_STREAMS = 256;
  /** Default buffered bytes per connection. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;
  /** Default buffered bytes in all connections together. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES_TOTAL = 512L * 1024 * 1024;
  /** Default largest stream window. */
  public static final int DEFAULT_MAX_STREAM_WINDOW = 16 * 1024 * 1024;
  /** Default keep-alive ping interval (as js-libp2p's Yamux). */
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);

  /** Validates the settings, naming the one that is wrong. */
  public HostConfig {
    if (identity == null) {
      throw new IllegalArgumentException("identity: a private key is required");
    }
    listenAddresses = List.copyOf(listenAddresses);
    positive("maxConnections", maxConnections);
    positive("maxInboundConnections", maxInboundConnections);
    positive("maxOutboundConnections", maxOutboundConnections);
    positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
    positive("maxInboundStreamsPerConnection", maxInboundStreamsPerConnection);
    if (maxBufferedBytesPerConnection < 256 * 1024) {
      throw new IllegalArgumentException("maxBufferedBytesPerConnection: at least 256 KiB (one stream window)");
    }
    if (maxBufferedBytesTotal < maxBufferedBytesPerConnection) {
      throw new IllegalArgumentException("maxBufferedBytesTotal: at least maxBufferedBytesPerConnection");
    }
    if (maxStreamWindow < 256 * 1024) {
      throw new IllegalArgumentException("maxStreamWindow: at least 256 KiB");
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout: must be positive");
    }
    if (keepAliveInterval.isNegative()) {
      throw new IllegalArgumentException("keepAliveInterval: must not be negative");
    }
    if (connectionManager == null) {
      throw new IllegalArgumentException("connectionManager: required (ConnectionManagerConfig.disabled() for none)");
    }
  }

  private static void positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + ": must be positive, got " + v);
    }
  }

  /** Builder of {@link HostConfig}. */
  public static final class Builder {
    private PrivateKey identity = PrivateKey.generate();
    private final List<Multiaddr> listen = new ArrayList<>();
    private String agentVersion = DEFAULT_AGENT_VERSION;
    private boolean earlyMuxer = true;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration streamNegotiationTimeout = DEFAULT_STREAM_NEGOTIATION_TIMEOUT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxInbound = DEFAULT_MAX_INBOUND_CONNECTIONS;
    private int maxOutbound = DEFAULT_MAX_OUTBOUND_CONNECTIONS;
    private int maxPerPeer = DEFAULT_MAX_CONNECTIONS_PER_PEER;
    private int maxInboundStreams = DEFAULT_MAX_INBOUND_STREAMS;
    private long maxBuffered = DEFAULT_MAX_BUFFERED_BYTES;
    private long maxBufferedTotal = DEFAULT_MAX_BUFFERED_BYTES_TOTAL;
    private int maxWindow = DEFAULT_MAX_STREAM_WINDOW;
    private Duration keepAlive = DEFAULT_KEEP_ALIVE_INTERVAL;
    private ConnectionManagerConfig connectionManager = ConnectionManagerConfig.disabled();

    Builder() {}

    /** Our identity key (default: a fresh one). */
    public Builder identity(PrivateKey key) {
      this.identity = key;
      return this;
    }

    /** Adds a TCP listen address, e.g. {@code /ip4/127.0.0.1/tcp/0}. */
    public Builder listen(Multiaddr address) {
      listen.add(address);
      return this;
    }

    /** Adds a TCP listen address in text form. */
    public Builder listen(String address) {
      return listen(Multiaddr.fromString(address));
    }

    /** The identify agent version. */
    public Builder agentVersion(String agentVersion) {
      this.agentVersion = agentVersion;
      return this;
    }

    /** Whether to negotiate the muxer inside Noise (default true). */
    public Builder earlyMuxerNegotiation(boolean early) {
      this.earlyMuxer = early;
      return this;
    }

    /** The connection set-up deadline. */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = timeout;
      return this;
    }

    /** The stream protocol negotiation deadline. */
    public Builder streamNegotiationTimeout(Duration timeout) {
      this.streamNegotiationTimeout = timeout;
      return this;
    }

    /** Connection limits: total, inbound and per peer. */
    public Builder connectionLimits(int total, int inbound, int perPeer) {
      this.maxConnections = total;
      this.maxInbound = inbound;
      this.maxPerPeer = perPeer;
      return this;
    }

    /** Outbound connections (our dials) at most ({@link HostConfig#UNLIMITED} for no separate bound). */
    public Builder maxOutboundConnections(int max) {
      this.maxOutbound = max;
      return this;
    }

    /**
     * The connection manager's watermarks and grace period (go-libp2p's
     * {@code NewConnManager(low, high, WithGracePeriod(grace))}); {@code 0, 0} turns trimming off.
     */
    public Builder connectionManager(int lowWater, int highWater, Duration gracePeriod) {
      return connectionManager(ConnectionManagerConfig.of(lowWater, highWater, gracePeriod));
    }

    /** The connection manager's configuration. */
    public Builder connectionManager(ConnectionManagerConfig config) {
      this.connectionManager = config;
      return this;
    }

    /** Inbound streams a remote may have open on one connection. */
    public Builder maxInboundStreamsPerConnection(int max) {
      this.maxInboundStreams = max;
      return this;
    }

    /** Unread bytes buffered per connection. */
    public Builder maxBufferedBytesPerConnection(long max) {
      this.maxBuffered = max;
      return this;
    }

    /** Unread bytes buffered in all connections together. */
    public Builder maxBufferedBytesTotal(long max) {
      this.maxBufferedTotal = max;
      return this;
    }

    /** Largest Yamux receive window a stream grows to. */
    public Builder maxStreamWindow(int max) {
      this.maxWindow = max;
      return this;
    }

    /** Interval of Yamux keep-alive pings ({@code Duration.ZERO} for none). */
    public Builder keepAliveInterval(Duration interval) {
      this.keepAlive = interval;
      return this;
    }

    /** The validated configuration. */
    public HostConfig config() {
      return new HostConfig(identity, listen, agentVersion, earlyMuxer, handshakeTimeout,
          streamNegotiationTimeout, maxConnections, maxInbound, maxOutbound, maxPerPeer, maxInboundStreams,
          maxBuffered, Math.max(maxBufferedTotal, maxBuffered), maxWindow, keepAlive, connectionManager);
    }

    /** Builds the host (not started). */
    public Host build() {
      return new Host(config());
    }
  }
}
