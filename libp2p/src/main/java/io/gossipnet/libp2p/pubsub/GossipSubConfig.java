package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * GossipSub parameters. Defaults follow the GossipSub v1.1 spec and js-libp2p's
 * {@code @libp2p/gossipsub} ({@code DEFAULT_*}); {@link Builder#algorandDegree(int)} applies
 * go-algorand's derivation from the outgoing connection count.
 *
 * @param d desired mesh degree
 * @param dlo fewest mesh peers before the heartbeat grafts more
 * @param dhi most mesh peers before the heartbeat prunes
 * @param dscore mesh peers kept by score when pruning
 * @param dout outbound mesh peers kept when pruning
 * @param dlazy peers that receive IHAVE gossip per topic per heartbeat (at least)
 * @param gossipFactor share of eligible peers that receive gossip when more than {@code dlazy}
 * @param heartbeatInterval interval of mesh maintenance
 * @param fanoutTtl how long a fanout topic we publish to without subscribing is kept
 * @param mcacheLength heartbeats of history kept for IWANT
 * @param mcacheGossip heartbeats of history announced in IHAVE
 * @param seenTtl how long a message ID is remembered for duplicate suppression
 * @param pruneBackoff backoff sent with PRUNE and applied when pruned
 * @param floodPublish publish our own messages to every subscribed peer, not only the mesh
 * @param signaturePolicy signing and acceptance policy
 * @param messageIdFunction message IDs ({@code null}: js's default for the policy)
 * @param maxRpcSize largest RPC frame accepted, checked before it is read
 * @param limits per-RPC element limits, checked while decoding
 * @param maxIHaveMessages IHAVE control messages accepted per peer per heartbeat
 * @param maxIHaveLength message IDs asked with IWANT per peer per heartbeat
 * @param idontwantMinSize smallest message for which IDONTWANT is sent to v1.2 peers
 * @param validationWorkers threads running validators
 * @param validationQueueSize messages waiting for validation before further ones are dropped
 * @param outboundQueueSize RPCs queued per peer before further forwards are dropped
 * @param scoreParams peer score parameters
 * @param thresholds score thresholds
 * @param directPeers peers with explicit peering agreements ({@link DirectPeer}); they should list
 *     us too
 * @param directConnectTicks heartbeats between attempts to reconnect direct peers that are not
 *     connected (the first attempt is made on start)
 * @param doPx send peer exchange (other peers of the topic, with their signed peer records) when
 *     pruning a peer because the mesh is full
 * @param prunePeers most peers offered in one PRUNE, and most peers of one received PRUNE dialled
 * @param subscriptionFilter the topics a peer's subscription announcements are accepted for (go's
 *     {@code SubscriptionFilter}); other announcements are ignored and counted
 *     ({@code subscription.filtered}), and we may neither subscribe nor publish to another topic.
 *     Default: every topic
 * @param directConnectInitialDelay how long after start the direct peers are first dialled (go's
 *     {@code DirectConnectInitialDelay}: 1 s; go-algorand 30 s)
 * @param iwantFollowupTime how long a peer that answered our IWANT has to deliver a message before
 *     its broken promise costs a behaviour penalty (go's {@code IWantFollowupTime}: 3 s;
 *     go-algorand 5 s)
 * @param maxSubscriptionsPerRpc most subscription changes in one received RPC; an RPC with more is
 *     ignored whole, without penalty ({@code subscription.tooMany}), as go's
 *     {@code WrapLimitSubscriptionFilter}. 0: no limit beyond {@link RpcLimits#maxSubscriptions()}
 * @param validateOwnMessages whether our own publishes go through the topic's validator first (go
 *     and js do; go-algorand's validator accepts its own messages unseen, which {@code false} does
 *     without calling it)
 * @param subscriptionBufferSize messages a {@link Subscription} holds for its reader before
 *     further ones are dropped for it (go's {@code WithBufferSize}: 32; go-algorand 32768)
 */
public record GossipSubConfig(int d, int dlo, int dhi, int dscore, int dout, int dlazy, double gossipFactor,
    Duration heartbeatInterval, Duration fanoutTtl, int mcacheLength, int mcacheGossip, Duration seenTtl,
    Duration pruneBackoff, boolean floodPublish, SignaturePolicy signaturePolicy, MessageIdFunction messageIdFunction,
    int maxRpcSize, RpcLimits limits, int maxIHaveMessages, int maxIHaveLength, int idontwantMinSize,
    int validationWorkers, int validationQueueSize, int outboundQueueSize, PeerScoreParams scoreParams,
    PeerScoreThresholds thresholds, List<DirectPeer> directPeers, int directConnectTicks, boolean doPx,
    int prunePeers, Predicate<String> subscriptionFilter, Duration directConnectInitialDelay,
    Duration iwantFollowupTime, int maxSubscriptionsPerRpc, boolean validateOwnMessages, int subscriptionBufferSize) {

  public static final int DEFAULT_D = 6;
  public static final int DEFAULT_DLO = 4;
  public static final int DEFAULT_DHI = 12;
  public static final int DEFAULT_DSCORE = 4;
  public static final int DEFAULT_DOUT = 2;
  public static final int DEFAULT_DLAZY = 6;
  public static final double DEFAULT_GOSSIP_FACTOR = 0.25;
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_FANOUT_TTL = Duration.ofSeconds(60);
  public static final int DEFAULT_MCACHE_LENGTH = 5;
  public static final int DEFAULT_MCACHE_GOSSIP = 3;
  public static final Duration DEFAULT_SEEN_TTL = Duration.ofMinutes(2);
  public static final Duration DEFAULT_PRUNE_BACKOFF = Duration.ofSeconds(60);
  /** 1 MiB, go-libp2p-pubsub's default; js accepts up to 4 MiB. */
  public static final int DEFAULT_MAX_RPC_SIZE = 1 << 20;
  public static final int DEFAULT_MAX_IDS = 5000;
  public static final int DEFAULT_MAX_IDONTWANT_IDS = 512;
  public static final int DEFAULT_MAX_IHAVE_MESSAGES = 10;
  public static final int DEFAULT_MAX_IHAVE_LENGTH = 5000;
  public static final int DEFAULT_IDONTWANT_MIN_SIZE = 512;
  public static final int DEFAULT_VALIDATION_WORKERS = 4;
  public static final int DEFAULT_VALIDATION_QUEUE_SIZE = 256;
  public static final int DEFAULT_OUTBOUND_QUEUE_SIZE = 1024;
  /** Heartbeats between reconnection attempts to direct peers: 300 (5 min at 1 s), as the spec and go. */
  public static final int DEFAULT_DIRECT_CONNECT_TICKS = 300;
  /** Peers offered in a PRUNE and accepted from one: 16, as go and js. */
  public static final int DEFAULT_PRUNE_PEERS = 16;
  /** go-libp2p-pubsub's {@code GossipSubDirectConnectInitialDelay}: 1 s. */
  public static final Duration DEFAULT_DIRECT_CONNECT_INITIAL_DELAY = Duration.ofSeconds(1);
  /** go-libp2p-pubsub's {@code GossipSubIWantFollowupTime}: 3 s. */
  public static final Duration DEFAULT_IWANT_FOLLOWUP_TIME = Duration.ofSeconds(3);
  /** go-libp2p-pubsub's default subscription buffer: 32 messages. */
  public static final int DEFAULT_SUBSCRIPTION_BUFFER_SIZE = 32;
  /** The topic go-algorand gossips transactions on ("algo" + tag + version). */
  public static final String ALGORAND_TX_TOPIC = "algotx01";

  public GossipSubConfig {
    if (d < 0 || dlo > d || dhi < d || dscore > dhi || (d > 0 && dout > d / 2)) {
      throw new IllegalArgumentException("need dlo <= d <= dhi, dscore <= dhi, dout <= d/2: "
          + d + "/" + dlo + "/" + dhi + "/" + dscore + "/" + dout);
    }
    if (mcacheGossip > mcacheLength || mcacheLength < 1) {
      throw new IllegalArgumentException("need 1 <= mcacheLength and mcacheGossip <= mcacheLength");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive");
    }
    if (maxRpcSize < 1024 || validationWorkers < 1 || validationQueueSize < 1 || outboundQueueSize < 1) {
      throw new IllegalArgumentException("sizes must be positive (maxRpcSize >= 1024)");
    }
    if (scoreParams == null || thresholds == null) {
      throw new IllegalArgumentException("score parameters and thresholds are required");
    }
    if (directConnectTicks < 1 || prunePeers < 0) {
      throw new IllegalArgumentException("need directConnectTicks >= 1 and prunePeers >= 0");
    }
    if (subscriptionFilter == null) {
      throw new IllegalArgumentException("a subscription filter is required (t -> true accepts every topic)");
    }
    if (directConnectInitialDelay == null || directConnectInitialDelay.isNegative()) {
      throw new IllegalArgumentException("directConnectInitialDelay must not be negative");
    }
    if (iwantFollowupTime == null || iwantFollowupTime.isNegative() || iwantFollowupTime.isZero()) {
      throw new IllegalArgumentException("iwantFollowupTime must be positive");
    }
    if (maxSubscriptionsPerRpc < 0) {
      throw new IllegalArgumentException("maxSubscriptionsPerRpc must not be negative (0: no limit)");
    }
    if (subscriptionBufferSize < 1) {
      throw new IllegalArgumentException("subscriptionBufferSize must be positive");
    }
    directPeers = List.copyOf(directPeers);
    if (directPeers.stream().map(DirectPeer::id).distinct().count() != directPeers.size()) {
      throw new IllegalArgumentException("a direct peer is listed twice");
    }
    if (messageIdFunction == null) {
      messageIdFunction = signaturePolicy == SignaturePolicy.STRICT_SIGN
          ? MessageIdFunction.FROM_SEQNO : MessageIdFunction.SHA256_DATA;
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults (StrictSign). */
  public static GossipSubConfig defaults() {
    return builder().build();
  }

  /** Builds a {@link GossipSubConfig}. */
  public static final class Builder {
    private int d = DEFAULT_D;
    private int dlo = DEFAULT_DLO;
    private int dhi = DEFAULT_DHI;
    private int dscore = DEFAULT_DSCORE;
    private int dout = DEFAULT_DOUT;
    private int dlazy = DEFAULT_DLAZY;
    private double gossipFactor = DEFAULT_GOSSIP_FACTOR;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration fanoutTtl = DEFAULT_FANOUT_TTL;
    private int mcacheLength = DEFAULT_MCACHE_LENGTH;
    private int mcacheGossip = DEFAULT_MCACHE_GOSSIP;
    private Duration seenTtl = DEFAULT_SEEN_TTL;
    private Duration pruneBackoff = DEFAULT_PRUNE_BACKOFF;
    private boolean floodPublish = true;
    private SignaturePolicy signaturePolicy = SignaturePolicy.STRICT_SIGN;
    private MessageIdFunction messageIdFunction;
    private int maxRpcSize = DEFAULT_MAX_RPC_SIZE;
    private RpcLimits limits = new RpcLimits(DEFAULT_MAX_IDS, DEFAULT_MAX_IDS, DEFAULT_MAX_IDS, DEFAULT_MAX_IDS,
        DEFAULT_MAX_IDONTWANT_IDS, DEFAULT_MAX_IDS);
    private int maxIHaveMessages = DEFAULT_MAX_IHAVE_MESSAGES;
    private int maxIHaveLength = DEFAULT_MAX_IHAVE_LENGTH;
    private int idontwantMinSize = DEFAULT_IDONTWANT_MIN_SIZE;
    private int validationWorkers = DEFAULT_VALIDATION_WORKERS;
    private int validationQueueSize = DEFAULT_VALIDATION_QUEUE_SIZE;
    private int outboundQueueSize = DEFAULT_OUTBOUND_QUEUE_SIZE;
    private PeerScoreParams scoreParams = PeerScoreParams.defaults();
    private PeerScoreThresholds thresholds = PeerScoreThresholds.defaults();
    private final List<DirectPeer> directPeers = new ArrayList<>();
    private int directConnectTicks = DEFAULT_DIRECT_CONNECT_TICKS;
    private boolean doPx;
    private int prunePeers = DEFAULT_PRUNE_PEERS;
    private Predicate<String> subscriptionFilter = topic -> true;
    private Duration directConnectInitialDelay = DEFAULT_DIRECT_CONNECT_INITIAL_DELAY;
    private Duration iwantFollowupTime = DEFAULT_IWANT_FOLLOWUP_TIME;
    private int maxSubscriptionsPerRpc;
    private boolean validateOwnMessages = true;
    private int subscriptionBufferSize = DEFAULT_SUBSCRIPTION_BUFFER_SIZE;

    private Builder() {}

    /** Mesh degrees. */
    public Builder degree(int d, int dlo, int dhi, int dscore, int dout, int dlazy) {
      this.d = d;
      this.dlo = dlo;
      this.dhi = dhi;
      this.dscore = dscore;
      this.dout = dout;
      this.dlazy = dlazy;
      return this;
    }

    /**
     * go-algorand's {@code deriveAlgorandGossipSubParams}: degrees from the number of outgoing
     * connections {@code n}, history length 10, gossip factor 0.1, direct connect initial delay
     * 30 s and IWANT follow-up time 5 s.
     */
    public Builder algorandDegree(int n) {
      if (n >= 12) {
        degree(8, 6, 12, 6, 3, 12);
      } else if (n <= 0) {
        degree(0, 0, 0, 0, 0, 0);
      } else if (n <= 4) {
        degree(4, 2, 4, 1, 1, 4);
      } else {
        int dd = n - n / 3;
        degree(dd, 3 * dd / 4, n, 3 * dd / 4, 3 * dd / 8, n);
      }
      this.mcacheLength = 10;
      this.gossipFactor = 0.1;
      this.directConnectInitialDelay = Duration.ofSeconds(30);
      this.iwantFollowupTime = Duration.ofSeconds(5);
      return this;
    }

    /**
     * go-algorand's whole preset for {@code topic} ({@code makePubSub} and {@code Subscribe}):
     * {@link #algorandDegree(int)}, StrictNoSign, BLAKE2b-256 message IDs, 20 validation workers
     * with a queue of 256, {@link PeerScoreParams#algorand its scoring} and
     * {@link PeerScoreThresholds#algorand thresholds}, its subscription filter (only {@code topic},
     * at most 100 subscription changes per RPC), no peer exchange, our own messages accepted
     * without validation (its validator answers Accept for them), and a subscription buffer of
     * 32768.
     */
    public Builder algorand(String topic, int outgoing) {
      algorandDegree(outgoing);
      this.signaturePolicy = SignaturePolicy.STRICT_NO_SIGN;
      this.messageIdFunction = MessageIdFunction.BLAKE2B_256_DATA;
      allowTopics(topic);
      this.maxSubscriptionsPerRpc = 100;
      this.doPx = false;
      this.validateOwnMessages = false;
      this.subscriptionBufferSize = 32768;
      return validation(20, 256).scoring(PeerScoreParams.algorand(topic), PeerScoreThresholds.algorand());
    }

    public Builder gossipFactor(double f) {
      this.gossipFactor = f;
      return this;
    }

    public Builder heartbeatInterval(Duration v) {
      this.heartbeatInterval = v;
      return this;
    }

    public Builder fanoutTtl(Duration v) {
      this.fanoutTtl = v;
      return this;
    }

    public Builder messageCache(int length, int gossip) {
      this.mcacheLength = length;
      this.mcacheGossip = gossip;
      return this;
    }

    public Builder seenTtl(Duration v) {
      this.seenTtl = v;
      return this;
    }

    public Builder pruneBackoff(Duration v) {
      this.pruneBackoff = v;
      return this;
    }

    public Builder floodPublish(boolean v) {
      this.floodPublish = v;
      return this;
    }

    public Builder signaturePolicy(SignaturePolicy v) {
      this.signaturePolicy = v;
      return this;
    }

    public Builder messageIdFunction(MessageIdFunction v) {
      this.messageIdFunction = v;
      return this;
    }

    public Builder maxRpcSize(int v) {
      this.maxRpcSize = v;
      return this;
    }

    /** Per-RPC limits: subscriptions, messages, IHAVE, IWANT and IDONTWANT IDs, PRUNEs. */
    public Builder limits(int subscriptions, int messages, int ihaveIds, int iwantIds, int idontwantIds, int prunes) {
      this.limits = new RpcLimits(subscriptions, messages, ihaveIds, iwantIds, idontwantIds, prunes);
      return this;
    }

    /** Per-RPC limits, including the peer exchange entries per PRUNE. */
    public Builder limits(RpcLimits v) {
      this.limits = v;
      return this;
    }

    public Builder gossipLimits(int maxIHaveMessages, int maxIHaveLength) {
      this.maxIHaveMessages = maxIHaveMessages;
      this.maxIHaveLength = maxIHaveLength;
      return this;
    }

    public Builder idontwantMinSize(int v) {
      this.idontwantMinSize = v;
      return this;
    }

    /** Validation workers and queue (go-algorand: 20 and 256). */
    public Builder validation(int workers, int queueSize) {
      this.validationWorkers = workers;
      this.validationQueueSize = queueSize;
      return this;
    }

    public Builder outboundQueueSize(int v) {
      this.outboundQueueSize = v;
      return this;
    }

    /** Peer scoring parameters and thresholds. */
    public Builder scoring(PeerScoreParams params, PeerScoreThresholds thresholds) {
      this.scoreParams = params;
      this.thresholds = thresholds;
      return this;
    }

    /**
     * Adds direct peers by address; each address must end in {@code /p2p/<id>}, and several
     * addresses of one peer are merged.
     */
    public Builder directPeers(List<Multiaddr> addresses) {
      for (DirectPeer p : DirectPeer.fromAddresses(addresses)) {
        directPeer(p.id(), p.addresses());
      }
      return this;
    }

    /** Adds a direct peer with the addresses to dial it at (merged with any it already has). */
    public Builder directPeer(PeerId id, List<Multiaddr> addresses) {
      for (int i = 0; i < directPeers.size(); i++) {
        if (directPeers.get(i).id().equals(id)) {
          List<Multiaddr> all = new ArrayList<>(directPeers.get(i).addresses());
          addresses.stream().filter(a -> !all.contains(a)).forEach(all::add);
          directPeers.set(i, new DirectPeer(id, all));
          return this;
        }
      }
      directPeers.add(new DirectPeer(id, addresses));
      return this;
    }

    /** Heartbeats between reconnection attempts to direct peers (default 300). */
    public Builder directConnectTicks(int v) {
      this.directConnectTicks = v;
      return this;
    }

    /**
     * Peer exchange: whether our PRUNEs for a full mesh offer up to {@code prunePeers} other peers
     * of the topic (default off, as go-algorand), and how many peers of a received PRUNE we dial
     * (default 16). Received PX is used whatever {@code doPx} says, from peers scoring at least
     * {@link PeerScoreThresholds#acceptPx()}.
     */
    public Builder peerExchange(boolean doPx, int prunePeers) {
      this.doPx = doPx;
      this.prunePeers = prunePeers;
      return this;
    }

    /**
     * Accept peers' subscription announcements only for topics {@code filter} allows (go's
     * {@code SubscriptionFilter}); the others are ignored and counted ({@code subscription.filtered}).
     */
    public Builder subscriptionFilter(Predicate<String> filter) {
      this.subscriptionFilter = java.util.Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** Accept peers' subscription announcements only for these topics (go's allow-list filter). */
    public Builder allowTopics(String... topics) {
      Set<String> allowed = Set.of(topics);
      return subscriptionFilter(allowed::contains);
    }

    /** How long after start the direct peers are first dialled (default 1 s). */
    public Builder directConnectInitialDelay(Duration v) {
      this.directConnectInitialDelay = v;
      return this;
    }

    /** How long a peer has to deliver what we asked for with IWANT (default 3 s). */
    public Builder iwantFollowupTime(Duration v) {
      this.iwantFollowupTime = v;
      return this;
    }

    /** Most subscription changes in one RPC before it is ignored whole (0, the default: no limit). */
    public Builder maxSubscriptionsPerRpc(int v) {
      this.maxSubscriptionsPerRpc = v;
      return this;
    }

    /** Whether our own publishes go through the topic's validator (default true). */
    public Builder validateOwnMessages(boolean v) {
      this.validateOwnMessages = v;
      return this;
    }

    /** Messages a {@link Subscription} buffers for its reader (default 32). */
    public Builder subscriptionBufferSize(int v) {
      this.subscriptionBufferSize = v;
      return this;
    }

    /** Turns sending peer exchange on or off, keeping {@code prunePeers}. */
    public Builder doPx(boolean v) {
      this.doPx = v;
      return this;
    }

    public GossipSubConfig build() {
      return new GossipSubConfig(d, dlo, dhi, dscore, dout, dlazy, gossipFactor, heartbeatInterval, fanoutTtl,
          mcacheLength, mcacheGossip, seenTtl, pruneBackoff, floodPublish, signaturePolicy, messageIdFunction,
          maxRpcSize, limits, maxIHaveMessages, maxIHaveLength, idontwantMinSize, validationWorkers,
          validationQueueSize, outboundQueueSize, scoreParams, thresholds, directPeers, directConnectTicks, doPx,
          prunePeers, subscriptionFilter, directConnectInitialDelay, iwantFollowupTime, maxSubscriptionsPerRpc,
          validateOwnMessages, subscriptionBufferSize);
    }
  }
}
