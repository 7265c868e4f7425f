package io.gossipnet.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a network, immutable. Build one with {@link #builder(String)}; every setting
 * has the seed network's default ({@code DEFAULT_*}), and {@link Builder#build()} rejects bad values
 * with a message that names the setting.
 *
 * @param genesisId the name of the network; peers with another genesis ID are refused
 * @param listenAddress {@code host:port} to listen on; empty to not listen (port 0: any free port)
 * @param publicAddress the address other nodes reach this node at; used for self-dial avoidance
 *     and as the identity-challenge dedup name; empty if unknown
 * @param relayPeers persistent relay addresses to connect to (the phonebook's persistent entries)
 * @param gossipFanout the number of outgoing connections the mesh keeps
 * @param forceRelayMessages relay even when not listening
 * @param disableNetworking make broadcast and relay do nothing
 * @param enableGossipService accept incoming gossip connections
 * @param incomingConnectionsLimit the most incoming peers; 0 means do not listen for gossip
 * @param maxConnectionsPerIp the most incoming peers from one IP address
 * @param connectionsRateLimitingWindow the per-address connection rate window
 * @param connectionsRateLimitingCount the most connections per address in one window
 * @param broadcastConnectionsLimit the most peers one broadcast is queued to (-1: all)
 * @param broadcastQueueHighPrioritySize capacity of the broadcaster's high-priority queue
 * @param broadcastQueueBulkSize capacity of the broadcaster's bulk queue
 * @param peerSendQueueSize capacity of each peer's high-priority and bulk send queues
 * @param maxMessageQueueDuration how long a queued message may wait before it is stale
 * @param slowWriterCheckInterval how often peers are checked for a stuck write
 * @param slowWriterTimeout how long one write may stay in progress
 * @param idleCheckInterval how often peers are checked for idleness
 * @param idleTimeout how long a peer may neither read nor write
 * @param handlerThreads the number of handler workers
 * @param readBufferSize capacity of the shared read buffer (0: derived from the limits)
 * @param messagesPerPeerInReadBuffer the most messages of one peer waiting in the read buffer
 * @param enableIncomingMessageFilter drop repeated messages of dedup-safe tags
 * @param incomingFilterBuckets buckets of the incoming duplicate filter
 * @param incomingFilterBucketSize digests per bucket of the incoming duplicate filter
 * @param enableOutgoingMessageFiltering honour and send MS digest-skip messages
 * @param outgoingFilterBuckets buckets of each peer's outgoing filter
 * @param outgoingFilterBucketSize digests per bucket of each peer's outgoing filter
 * @param messageFilterSize messages at least this large get a digest (MS, outgoing filter)
 * @param meshInterval how often the mesh looks for connections
 * @param eventualReadyDelay the node is ready this long after its first peer
 * @param disconnectAckTimeout how long a normal close waits for the peer
 * @param shutdownAckTimeout how long a close at shutdown waits for the peer
 * @param enableIdentityChallenge run the identity challenge in handshakes (needs a public address)
 * @param tags the known tags
 */
public record NetworkConfig(
    String genesisId,
    String listenAddress,
    String publicAddress,
    List<String> relayPeers,
    int gossipFanout,
    boolean forceRelayMessages,
    boolean disableNetworking,
    boolean enableGossipService,
    int incomingConnectionsLimit,
    int maxConnectionsPerIp,
    Duration connectionsRateLimitingWindow,
    int connectionsRateLimitingCount,
    int broadcastConnectionsLimit,
    int broadcastQueueHighPrioritySize,
    int broadcastQueueBulkSize,
    int peerSendQueueSize,
    Duration maxMessageQueueDuration,
    Duration slowWriterCheckInterval,
    Duration slowWriterTimeout,
    Duration idleCheckInterval,
    Duration idleTimeout,
    int handlerThreads,
    int readBufferSize,
    int messagesPerPeerInReadBuffer,
    boolean enableIncomingMessageFilter,
    int incomingFilterBuckets,
    int incomingFilterBucketSize,
    boolean enableOutgoingMessageFiltering,
    int outgoingFilterBuckets,
    int outgoingFilterBucketSize,
    int messageFilterSize,
    Duration meshInterval,
    Duration eventualReadyDelay,
    Duration disconnectAckTimeout,
    Duration shutdownAckTimeout,
    boolean enableIdentityChallenge,
    Tags tags) {

  /** Default {@link #gossipFanout()}. */
  public static final int DEFAULT_GOSSIP_FANOUT = 4;
  /** Default {@link #incomingConnectionsLimit()}. */
  public static final int DEFAULT_INCOMING_CONNECTIONS_LIMIT = 2400;
  /** Default {@link #maxConnectionsPerIp()}. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 8;
  /** Default {@link #connectionsRateLimitingWindow()}. */
  public static final Duration DEFAULT_CONNECTIONS_RATE_LIMITING_WINDOW = Duration.ofSeconds(1);
  /** Default {@link #connectionsRateLimitingCount()}. */
  public static final int DEFAULT_CONNECTIONS_RATE_LIMITING_COUNT = 60;
  /** Default {@link #broadcastConnectionsLimit()}: unlimited. */
  public static final int DEFAULT_BROADCAST_CONNECTIONS_LIMIT = -1;
  /** Default {@link #broadcastQueueHighPrioritySize()}. */
  public static final int DEFAULT_BROADCAST_QUEUE_HIGH_PRIORITY_SIZE = 11000;
  /** Default {@link #broadcastQueueBulkSize()}. */
  public static final int DEFAULT_BROADCAST_QUEUE_BULK_SIZE = 100;
  /** Default {@link #peerSendQueueSize()}: the seed's outgoingMessagesBufferSize. */
  public static final int DEFAULT_PEER_SEND_QUEUE_SIZE = 11000;
  /** Default {@link #maxMessageQueueDuration()}. */
  public static final Duration DEFAULT_MAX_MESSAGE_QUEUE_DURATION = Duration.ofSeconds(25);
  /** Default {@link #slowWriterCheckInterval()}. */
  public static final Duration DEFAULT_SLOW_WRITER_CHECK_INTERVAL = Duration.ofSeconds(5);
  /** Default {@link #slowWriterTimeout()}. */
  public static final Duration DEFAULT_SLOW_WRITER_TIMEOUT = Duration.ofSeconds(25);
  /** Default {@link #idleCheckInterval()}. */
  public static final Duration DEFAULT_IDLE_CHECK_INTERVAL = Duration.ofMinutes(3);
  /** Default {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  /** Default {@link #handlerThreads()}. */
  public static final int DEFAULT_HANDLER_THREADS = 20;
  /** Default {@link #messagesPerPeerInReadBuffer()}. */
  public static final int DEFAULT_MESSAGES_PER_PEER_IN_READ_BUFFER = 10;
  /** Default {@link #incomingFilterBuckets()}. */
  public static final int DEFAULT_INCOMING_FILTER_BUCKETS = 5;
  /** Default {@link #incomingFilterBucketSize()}. */
  public static final int DEFAULT_INCOMING_FILTER_BUCKET_SIZE = 512;
  /** Default {@link #outgoingFilterBuckets()}. */
  public static final int DEFAULT_OUTGOING_FILTER_BUCKETS = 3;
  /** Default {@link #outgoingFilterBucketSize()}. */
  public static final int DEFAULT_OUTGOING_FILTER_BUCKET_SIZE = 128;
  /** Default {@link #messageFilterSize()}. */
  public static final int DEFAULT_MESSAGE_FILTER_SIZE = 5000;
  /** Default {@link #meshInterval()}. */
  public static final Duration DEFAULT_MESH_INTERVAL = Duration.ofMinutes(1);
  /** Default {@link #eventualReadyDelay()}. */
  public static final Duration DEFAULT_EVENTUAL_READY_DELAY = Duration.ofMinutes(1);
  /** Default {@link #disconnectAckTimeout()}. */
  public static final Duration DEFAULT_DISCONNECT_ACK_TIMEOUT = Duration.ofSeconds(5);
  /** Default {@link #shutdownAckTimeout()}. */
  public static final Duration DEFAULT_SHUTDOWN_ACK_TIMEOUT = Duration.ofMillis(50);

  /** Normalises lists. Use the builder, which also validates. */
  public NetworkConfig {
    relayPeers = List.copyOf(relayPeers);
  }

  /** Whether this node relays: it listens for gossip, or relaying is forced. */
  public boolean relays() {
    return forceRelayMessages || (!listenAddress.isEmpty() && incomingConnectionsLimit != 0);
  }

  /**
   * The capacity of the shared read buffer: the configured value, or the seed's {@code
   * min(max(incomingConnectionsLimit + gossipFanout, 100), 10000)}.
   */
  public int effectiveReadBufferSize() {
    if (readBufferSize > 0) {
      return readBufferSize;
    }
    return Math.min(Math.max(incomingConnectionsLimit + gossipFanout, 100), 10000);
  }

  /** A builder with every default, for the network named {@code genesisId}. */
  public static Builder builder(String genesisId) {
    return new Builder(genesisId);
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link NetworkConfig}; {@link #build()} validates. */
  public static final class Builder {
    private String genesisId;
    private String listenAddress = "";
    private String publicAddress = "";
    private List<String> relayPeers = List.of();
    private int gossipFanout = DEFAULT_GOSSIP_FANOUT;
    private boolean forceRelayMessages;
    private boolean disableNetworking;
    private boolean enableGossipService = true;
    private int incomingConnectionsLimit = DEFAULT_INCOMING_CONNECTIONS_LIMIT;
    private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
    private Duration connectionsRateLimitingWindow = DEFAULT_CONNECTIONS_RATE_LIMITING_WINDOW;
    private int connectionsRateLimitingCount = DEFAULT_CONNECTIONS_RATE_LIMITING_COUNT;
    private int broadcastConnectionsLimit = DEFAULT_BROADCAST_CONNECTIONS_LIMIT;
    private int broadcastQueueHighPrioritySize = DEFAULT_BROADCAST_QUEUE_HIGH_PRIORITY_SIZE;
    private int broadcastQueueBulkSize = DEFAULT_BROADCAST_QUEUE_BULK_SIZE;
    private int peerSendQueueSize = DEFAULT_PEER_SEND_QUEUE_SIZE;
    private Duration maxMessageQueueDuration = DEFAULT_MAX_MESSAGE_QUEUE_DURATION;
    private Duration slowWriterCheckInterval = DEFAULT_SLOW_WRITER_CHECK_INTERVAL;
    private Duration slowWriterTimeout = DEFAULT_SLOW_WRITER_TIMEOUT;
    private Duration idleCheckInterval = DEFAULT_IDLE_CHECK_INTERVAL;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private int handlerThreads = DEFAULT_HANDLER_THREADS;
    private int readBufferSize;
    private int messagesPerPeerInReadBuffer = DEFAULT_MESSAGES_PER_PEER_IN_READ_BUFFER;
    private boolean enableIncomingMessageFilter;
    private int incomingFilterBuckets = DEFAULT_INCOMING_FILTER_BUCKETS;
    private int incomingFilterBucketSize = DEFAULT_INCOMING_FILTER_BUCKET_SIZE;
    private boolean enableOutgoingMessageFiltering = true;
    private int outgoingFilterBuckets = DEFAULT_OUTGOING_FILTER_BUCKETS;
    private int outgoingFilterBucketSize = DEFAULT_OUTGOING_FILTER_BUCKET_SIZE;
    private int messageFilterSize = DEFAULT_MESSAGE_FILTER_SIZE;
    private Duration meshInterval = DEFAULT_MESH_INTERVAL;
    private Duration eventualReadyDelay = DEFAULT_EVENTUAL_READY_DELAY;
    private Duration disconnectAckTimeout = DEFAULT_DISCONNECT_ACK_TIMEOUT;
    private Duration shutdownAckTimeout = DEFAULT_SHUTDOWN_ACK_TIMEOUT;
    private boolean enableIdentityChallenge = true;
    private Tags tags = Tags.defaults();

    private Builder(String genesisId) {
      this.genesisId = genesisId;
    }

    private Builder(NetworkConfig c) {
      genesisId = c.genesisId;
      listenAddress = c.listenAddress;
      publicAddress = c.publicAddress;
      relayPeers = c.relayPeers;
      gossipFanout = c.gossipFanout;
      forceRelayMessages = c.forceRelayMessages;
      disableNetworking = c.disableNetworking;
      enableGossipService = c.enableGossipService;
      incomingConnectionsLimit = c.incomingConnectionsLimit;
      maxConnectionsPerIp = c.maxConnectionsPerIp;
      connectionsRateLimitingWindow = c.connectionsRateLimitingWindow;
      connectionsRateLimitingCount = c.connectionsRateLimitingCount;
      broadcastConnectionsLimit = c.broadcastConnectionsLimit;
      broadcastQueueHighPrioritySize = c.broadcastQueueHighPrioritySize;
      broadcastQueueBulkSize = c.broadcastQueueBulkSize;
      peerSendQueueSize = c.peerSendQueueSize;
      maxMessageQueueDuration = c.maxMessageQueueDuration;
      slowWriterCheckInterval = c.slowWriterCheckInterval;
      slowWriterTimeout = c.slowWriterTimeout;
      idleCheckInterval = c.idleCheckInterval;
      idleTimeout = c.idleTimeout;
      handlerThreads = c.handlerThreads;
      readBufferSize = c.readBufferSize;
      messagesPerPeerInReadBuffer = c.messagesPerPeerInReadBuffer;
      enableIncomingMessageFilter = c.enableIncomingMessageFilter;
      incomingFilterBuckets = c.incomingFilterBuckets;
      incomingFilterBucketSize = c.incomingFilterBucketSize;
      enableOutgoingMessageFiltering = c.enableOutgoingMessageFiltering;
      outgoingFilterBuckets = c.outgoingFilterBuckets;
      outgoingFilterBucketSize = c.outgoingFilterBucketSize;
      messageFilterSize = c.messageFilterSize;
      meshInterval = c.meshInterval;
      eventualReadyDelay = c.eventualReadyDelay;
      disconnectAckTimeout = c.disconnectAckTimeout;
      shutdownAckTimeout = c.shutdownAckTimeout;
      enableIdentityChallenge = c.enableIdentityChallenge;
      tags = c.tags;
    }

    /** See {@link NetworkConfig#genesisId()}. */
    public Builder genesisId(String v) { genesisId = v; return this; }
    /** See {@link NetworkConfig#listenAddress()}. */
    public Builder listenAddress(String v) { listenAddress = v; return this; }
    /** See {@link NetworkConfig#publicAddress()}. */
    public Builder publicAddress(String v) { publicAddress = v; return this; }
    /** See {@link NetworkConfig#relayPeers()}. */
    public Builder relayPeers(List<String> v) { relayPeers = v; return this; }
    /** See {@link NetworkConfig#gossipFanout()}. */
    public Builder gossipFanout(int v) { gossipFanout = v; return this; }
    /** See {@link NetworkConfig#forceRelayMessages()}. */
    public Builder forceRelayMessages(boolean v) { forceRelayMessages = v; return this; }
    /** See {@link NetworkConfig#disableNetworking()}. */
    public Builder disableNetworking(boolean v) { disableNetworking = v; return this; }
    /** See {@link NetworkConfig#enableGossipService()}. */
    public Builder enableGossipService(boolean v) { enableGossipService = v; return this; }
    /** See {@link NetworkConfig#incomingConnectionsLimit()}. */
    public Builder incomingConnectionsLimit(int v) { incomingConnectionsLimit = v; return this; }
    /** See {@link NetworkConfig#maxConnectionsPerIp()}. */
    public Builder maxConnectionsPerIp(int v) { maxConnectionsPerIp = v; return this; }
    /** See {@link NetworkConfig#connectionsRateLimitingWindow()}. */
    public Builder connectionsRateLimitingWindow(Duration v) { connectionsRateLimitingWindow = v; return this; }
    /** See {@link NetworkConfig#connectionsRateLimitingCount()}. */
    public Builder connectionsRateLimitingCount(int v) { connectionsRateLimitingCount = v; return this; }
    /** See {@link NetworkConfig#broadcastConnectionsLimit()}. */
    public Builder broadcastConnectionsLimit(int v) { broadcastConnectionsLimit = v; return this; }
    /** See {@link NetworkConfig#broadcastQueueHighPrioritySize()}. */
    public Builder broadcastQueueHighPrioritySize(int v) { broadcastQueueHighPrioritySize = v; return this; }
    /** See {@link NetworkConfig#broadcastQueueBulkSize()}. */
    public Builder broadcastQueueBulkSize(int v) { broadcastQueueBulkSize = v; return this; }
    /** See {@link NetworkConfig#peerSendQueueSize()}. */
    public Builder peerSendQueueSize(int v) { peerSendQueueSize = v; return this; }
    /** See {@link NetworkConfig#maxMessageQueueDuration()}. */
    public Builder maxMessageQueueDuration(Duration v) { maxMessageQueueDuration = v; return this; }
    /** See {@link NetworkConfig#slowWriterCheckInterval()}. */
    public Builder slowWriterCheckInterval(Duration v) { slowWriterCheckInterval = v; return this; }
    /** See {@link NetworkConfig#slowWriterTimeout()}. */
    public Builder slowWriterTimeout(Duration v) { slowWriterTimeout = v; return this; }
    /** See {@link NetworkConfig#idleCheckInterval()}. */
    public Builder idleCheckInterval(Duration v) { idleCheckInterval = v; return this; }
    /** See {@link NetworkConfig#idleTimeout()}. */
    public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
    /** See {@link NetworkConfig#handlerThreads()}. */
    public Builder handlerThreads(int v) { handlerThreads = v; return this; }
    /** See {@link NetworkConfig#readBufferSize()}. */
    public Builder readBufferSize(int v) { readBufferSize = v; return this; }
    /** See {@link NetworkConfig#messagesPerPeerInReadBuffer()}. */
    public Builder messagesPerPeerInReadBuffer(int v) { messagesPerPeerInReadBuffer = v; return this; }
    /** See {@link NetworkConfig#enableIncomingMessageFilter()}. */
    public Builder enableIncomingMessageFilter(boolean v) { enableIncomingMessageFilter = v; return this; }
    /** See {@link NetworkConfig#incomingFilterBuckets()}. */
    public Builder incomingFilterBuckets(int v) { incomingFilterBuckets = v; return this; }
    /** See {@link NetworkConfig#incomingFilterBucketSize()}. */
    public Builder incomingFilterBucketSize(int v) { incomingFilterBucketSize = v; return this; }
    /** See {@link NetworkConfig#enableOutgoingMessageFiltering()}. */
    public Builder enableOutgoingMessageFiltering(boolean v) { enableOutgoingMessageFiltering = v; return this; }
    /** See {@link NetworkConfig#outgoingFilterBuckets()}. */
    public Builder outgoingFilterBuckets(int v) { outgoingFilterBuckets = v; return this; }
    /** See {@link NetworkConfig#outgoingFilterBucketSize()}. */
    public Builder outgoingFilterBucketSize(int v) { outgoingFilterBucketSize = v; return this; }
    /** See {@link NetworkConfig#messageFilterSize()}. */
    public Builder messageFilterSize(int v) { messageFilterSize = v; return this; }
    /** See {@link NetworkConfig#meshInterval()}. */
    public Builder meshInterval(Duration v) { meshInterval = v; return this; }
    /** See {@link NetworkConfig#eventualReadyDelay()}. */
    public Builder eventualReadyDelay(Duration v) { eventualReadyDelay = v; return this; }
    /** See {@link NetworkConfig#disconnectAckTimeout()}. */
    public Builder disconnectAckTimeout(Duration v) { disconnectAckTimeout = v; return this; }
    /** See {@link NetworkConfig#shutdownAckTimeout()}. */
    public Builder shutdownAckTimeout(Duration v) { shutdownAckTimeout = v; return this; }
    /** See {@link NetworkConfig#enableIdentityChallenge()}. */
    public Builder enableIdentityChallenge(boolean v) { enableIdentityChallenge = v; return this; }
    /** See {@link NetworkConfig#tags()}. */
    public Builder tags(Tags v) { tags = v; return this; }

    /**
     * Adds application tags to the table set so far (the seed's unless {@link #tags(Tags)}
     * replaced it), so that several modules can each add their own.
     *
     * @throws IllegalArgumentException if a tag is already in the table
     */
    public Builder addTags(Tag... extra) { tags = tags.plus(extra); return this; }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first setting that is out of range
     */
    public NetworkConfig build() {
      if (genesisId == null || genesisId.isBlank()) {
        throw new IllegalArgumentException("genesisId must not be empty");
      }
      for (int i = 0; i < genesisId.length(); i++) {
        char c = genesisId.charAt(i);
        if (c <= 0x20 || c > 0x7e || c == '/') {
          throw new IllegalArgumentException(
              "genesisId must be printable ASCII without spaces or '/': '" + genesisId + "'");
        }
      }
      Objects.requireNonNull(listenAddress, "listenAddress");
      Objects.requireNonNull(publicAddress, "publicAddress");
      Objects.requireNonNull(relayPeers, "relayPeers");
      Objects.requireNonNull(tags, "tags");
      atLeast("gossipFanout", gossipFanout, 0);
      atLeast("incomingConnectionsLimit", incomingConnectionsLimit, 0);
      atLeast("maxConnectionsPerIp", maxConnectionsPerIp, 1);
      atLeast("connectionsRateLimitingCount", connectionsRateLimitingCount, 0);
      atLeast("broadcastConnectionsLimit", broadcastConnectionsLimit, -1);
      atLeast("broadcastQueueHighPrioritySize", broadcastQueueHighPrioritySize, 1);
      atLeast("broadcastQueueBulkSize", broadcastQueueBulkSize, 1);
      atLeast("peerSendQueueSize", peerSendQueueSize, 1);
      atLeast("handlerThreads", handlerThreads, 1);
      atLeast("readBufferSize", readBufferSize, 0);
      atLeast("messagesPerPeerInReadBuffer", messagesPerPeerInReadBuffer, 1);
      atLeast("incomingFilterBuckets", incomingFilterBuckets, 1);
      atLeast("incomingFilterBucketSize", incomingFilterBucketSize, 1);
      atLeast("outgoingFilterBuckets", outgoingFilterBuckets, 1);
      atLeast("outgoingFilterBucketSize", outgoingFilterBucketSize, 1);
      atLeast("messageFilterSize", messageFilterSize, 1);
      positive("connectionsRateLimitingWindow", connectionsRateLimitingWindow);
      positive("maxMessageQueueDuration", maxMessageQueueDuration);
      positive("slowWriterCheckInterval", slowWriterCheckInterval);
      positive("slowWriterTimeout", slowWriterTimeout);
      positive("idleCheckInterval", idleCheckInterval);
      positive("idleTimeout", idleTimeout);
      positive("meshInterval", meshInterval);
      positive("eventualReadyDelay", eventualReadyDelay);
      positive("disconnectAckTimeout", disconnectAckTimeout);
      positive("shutdownAckTimeout", shutdownAckTimeout);
      for (String p : relayPeers) {
        if (p == null || p.isBlank()) {
          throw new IllegalArgumentException("relayPeers must not contain empty addresses");
        }
      }
      for (Tag control : List.of(Tags.MI, Tags.MS, Tags.TS, Tags.NI)) {
        if (!control.equals(tags.lookup(control.code()))) {
          throw new IllegalArgumentException("tags must include the control tag " + control);
        }
      }
      return new NetworkConfig(
          genesisId, listenAddress, publicAddress, relayPeers, gossipFanout, forceRelayMessages,
          disableNetworking, enableGossipService, incomingConnectionsLimit, maxConnectionsPerIp,
          connectionsRateLimitingWindow, connectionsRateLimitingCount, broadcastConnectionsLimit,
          broadcastQueueHighPrioritySize, broadcastQueueBulkSize, peerSendQueueSize,
          maxMessageQueueDuration, slowWriterCheckInterval, slowWriterTimeout, idleCheckInterval,
          idleTimeout, handlerThreads, readBufferSize, messagesPerPeerInReadBuffer,
          enableIncomingMessageFilter, incomingFilterBuckets, incomingFilterBucketSize,
          enableOutgoingMessageFiltering, outgoingFilterBuckets, outgoingFilterBucketSize,
          messageFilterSize, meshInterval, eventualReadyDelay, disconnectAckTimeout,
          shutdownAckTimeout, enableIdentityChallenge, tags);
    }

    private static void atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
      }
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
      }
    }
  }
}
