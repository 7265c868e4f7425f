package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PublicKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.host.Host;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GossipSub router on a {@link Host}: {@code /meshsub/1.2.0}, {@code /meshsub/1.1.0},
 * {@code /meshsub/1.0.0} and {@code /floodsub/1.0.0} (offered newest first).
 *
 * <p>Path of a received message: the peer's inbound stream is read by {@link #readLoop} (frame
 * size checked before allocation, RPC decoded within {@link GossipSubConfig#limits()}), then
 * {@link #onMessage} checks the signature policy and the seen cache, and hands the message to a
 * validation worker, which runs the topic's {@link TopicValidator}; only an accepted message is
 * delivered to the subscriber and forwarded to the topic's mesh ({@link #forward}). Outbound RPCs
 * go through each peer's bounded queue ({@link GossipPeer}).
 *
 * <p>Direct peers ({@link GossipSubConfig#directPeers()}) are dialled on start and every
 * {@link GossipSubConfig#directConnectTicks()} heartbeats while not connected; they get every
 * message of their topics we publish or forward, are never grafted nor sent gossip, a GRAFT from
 * one is answered with PRUNE ({@code graft.direct}), and their RPCs are read whatever their score.
 * Peer exchange: with {@link GossipSubConfig#doPx()}, a PRUNE for a full mesh offers up to
 * {@link GossipSubConfig#prunePeers()} other peers of the topic with their signed peer records; PX
 * received from a peer scoring at least {@link PeerScoreThresholds#acceptPx()} is dialled through
 * {@link PeerDialer}.
 *
 * <p>Counters are available by name from {@link #metric(String)} / {@link #metrics()}.
 */
public final class GossipSub implements AutoCloseable {
  public static final String MESHSUB_V12 = "/meshsub/1.2.0";
  public static final String MESHSUB_V11 = "/meshsub/1.1.0";
  public static final String MESHSUB_V10 = "/meshsub/1.0.0";
  public static final String FLOODSUB = "/floodsub/1.0.0";
  /** The protocols we offer and accept, newest first. */
  public static final List<String> PROTOCOLS = List.of(MESHSUB_V12, MESHSUB_V11, MESHSUB_V10, FLOODSUB);

  private static final Logger LOG = LoggerFactory.getLogger(GossipSub.class);
  private static final byte[] SIGN_PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);
  /** Backoff applied to mesh peers when we unsubscribe (spec: 10 s). */
  private static final long UNSUBSCRIBE_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** How often one peer may ask for the same message with IWANT. */
  private static final int MAX_IWANT_PER_MESSAGE = 3;
  /** IDONTWANT entries kept per peer. */
  private static final int MAX_DONTWANT_PER_PEER = 10 * GossipSubConfig.DEFAULT_MAX_IDONTWANT_IDS;
  private static final int DONTWANT_HEARTBEATS = 3;
  /** Topics remembered per peer; further subscriptions are ignored (bounds memory per peer). */
  static final int MAX_TOPICS_PER_PEER = 1024;
  /** Heartbeats between opportunistic grafting checks (spec: 60). */
  private static final int OPPORTUNISTIC_GRAFT_TICKS = 60;
  private static final int OPPORTUNISTIC_GRAFT_PEERS = 2;

  private final Host host;
  private final GossipSubConfig config;
  private final PeerId self;
  private final byte[] selfKey;
  private final AtomicLong seqno = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

  // Router state, guarded by `lock`.
  private final Object lock = new Object();
  private final Map<PeerId, GossipPeer> peers = new HashMap<>();
  private final Map<String, Consumer<PubsubMessage>> subscriptions = new LinkedHashMap<>();
  private final Map<String, Set<PeerId>> mesh = new HashMap<>();
  private final Map<String, Set<PeerId>> fanout = new HashMap<>();
  private final Map<String, Long> fanoutLastPublish = new HashMap<>();
  private final Map<String, Map<PeerId, Long>> backoff = new HashMap<>();
  /**
   * The longest backoff a peer's PRUNE can ask for (one day): a larger value, which would saturate
   * the clock arithmetic and never expire, is cut to it.
   */
  static final long MAX_PRUNE_BACKOFF_SECONDS = TimeUnit.DAYS.toSeconds(1);
  private final Map<MessageKey, Long> seen = new LinkedHashMap<>();
  private final MessageCache mcache;
  private final Set<PeerId> connecting = new HashSet<>();
  /**
   * Each peer's inbound stream (guarded by {@code lock}): a new one resets the one before, as go
   * and js do, so that a peer holds one partly read RPC here, not one per stream it opens.
   */
  private final Map<PeerId, Stream> inboundStreams = new HashMap<>();
  private final PeerScore scores;
  /** Direct peers by ID, from the configuration (immutable: read without the lock). */
  private final Map<PeerId, DirectPeer> direct;
  /** Direct peers whose refused GRAFT was logged at warning level already. */
  private final Set<PeerId> warnedDirectGraft = new HashSet<>();
  /**
   * IWANT promises (go's gossip tracer): for one message ID of each IWANT we sent, the peers that
   * advertised it and when their delivery is due. A promise is kept when the message arrives from
   * anyone; a broken one costs the peer a behaviour penalty at the next heartbeat.
   */
  private final Map<MessageKey, Map<PeerId, Long>> promises = new HashMap<>();
  private final PeerDialer dialer;
  private long heartbeats;
  private long lastDecayNanos = System.nanoTime();

  private final Map<String, TopicValidator> validators = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor validation;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  private GossipSub(Host host, GossipSubConfig config) {
    this.host = host;
    this.config = config;
    this.self = host.peerId();
    this.selfKey = host.identity().publicKey().toProtobuf();
    this.mcache = new MessageCache(config.mcacheGossip(), config.mcacheLength());
    this.scores = new PeerScore(config.scoreParams());
    Map<PeerId, DirectPeer> d = new LinkedHashMap<>();
    config.directPeers().forEach(p -> d.put(p.id(), p));
    this.direct = Collections.unmodifiableMap(d);
    this.dialer = new PeerDialer(host, this::count, config.directPeers());
    this.validation = new ThreadPoolExecutor(config.validationWorkers(), config.validationWorkers(), 0,
        TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.validationQueueSize()),
        Thread.ofPlatform().name("gossipsub-validate-", 0).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gossipsub-heartbeat")
        .daemon().factory());
  }

  /**
   * Starts a router on {@code host}: registers the protocol handlers, opens pubsub streams to peers
   * that list a pubsub protocol in identify, and starts the heartbeat.
   */
  public static GossipSub start(Host host, GossipSubConfig config) {
    GossipSub gs = new GossipSub(host, config);
    for (String p : PROTOCOLS) {
      host.setStreamHandler(p, gs::readLoop);
    }
    host.addConnectionListener(new ConnectionListener() {
      @Override
      public void connected(Connection connection) {
        Thread.ofVirtual().start(() -> gs.openStream(connection));
      }

      @Override
      public void disconnected(Connection connection, String reason) {
        gs.onDisconnected(connection);
      }
    });
    for (Connection c : host.connections()) {
      Thread.ofVirtual().start(() -> gs.openStream(c));
    }
    long hb = config.heartbeatInterval().toNanos();
    gs.timer.scheduleAtFixedRate(gs::heartbeatSafely, Math.min(hb, TimeUnit.MILLISECONDS.toNanos(100)), hb,
        TimeUnit.NANOSECONDS);
    if (!gs.direct.isEmpty()) {
      // go's DirectConnectInitialDelay: the first attempt waits, later ones every directConnectTicks
      gs.timer.schedule(() -> gs.direct.values().forEach(gs.dialer::dialDirect),
          config.directConnectInitialDelay().toNanos(), TimeUnit.NANOSECONDS);
    }
    return gs;
  }

  /** The configuration. */
  public GossipSubConfig config() {
    return config;
  }

  /** Sets the application-specific part of peer scores (P5); 0 by default. */
  public void setApplicationScore(ToDoubleFunction<PeerId> score) {
    synchronized (lock) {
      scores.setAppScore(score);
    }
  }

  /** Sets the validator of {@code topic}, replacing any earlier one. */
  public void setValidator(String topic, TopicValidator validator) {
    validators.put(topic, validator);
  }

  /**
   * Subscribes to {@code topic}; {@code handler} receives each accepted message once, on a
   * validation worker thread (keep it short: the worker validates the next message only after it).
   * A topic has one subscription: subscribing again replaces the earlier handler (a replaced
   * {@link Subscription} is cancelled).
   *
   * @throws IllegalArgumentException if the subscription filter does not allow {@code topic}
   */
  public void subscribe(String topic, Consumer<PubsubMessage> handler) {
    requireAllowed(topic);
    Map<GossipPeer, Rpc> out = new HashMap<>();
    synchronized (lock) {
      Consumer<PubsubMessage> previous = subscriptions.put(topic, handler);
      if (previous != null) {
        if (previous instanceof Subscription.Sink sink && previous != handler) {
          sink.subscription().markCancelled();
        }
        return;
      }
      Set<PeerId> m = new HashSet<>();
      Set<PeerId> f = fanout.remove(topic);
      fanoutLastPublish.remove(topic);
      if (f != null) {
        m.addAll(f);
      }
      mesh.put(topic, m);
      for (GossipPeer p : peers.values()) {
        if (p.hasStream()) {
          rpcFor(out, p).subscriptions().add(new Rpc.Subscription(true, topic));
        }
      }
      for (GossipPeer p : candidates(topic, m, config.d() - m.size())) {
        m.add(p.id);
      }
      for (PeerId id : m) {
        scores.graft(id, topic);
        GossipPeer p = peers.get(id);
        if (p != null) {
          rpcFor(out, p).control().graft().add(topic);
        }
      }
    }
    sendAll(out);
  }

  /**
   * Subscribes to {@code topic} with a pull {@link Subscription} buffering up to
   * {@link GossipSubConfig#subscriptionBufferSize()} messages (go-algorand: 32768).
   *
   * @throws IllegalArgumentException if the subscription filter does not allow {@code topic}
   */
  public Subscription subscribe(String topic) {
    return subscribe(topic, config.subscriptionBufferSize());
  }

  /** Subscribes to {@code topic} with a pull {@link Subscription} buffering up to {@code bufferSize} messages. */
  public Subscription subscribe(String topic, int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
    }
    Subscription sub = new Subscription(this, topic, bufferSize);
    subscribe(topic, sub.sink());
    return sub;
  }

  /** Unsubscribes {@code topic} if {@code sub} is still its subscription. */
  void cancel(Subscription sub) {
    synchronized (lock) {
      if (subscriptions.get(sub.topic()) != sub.sink()) {
        return;
      }
    }
    unsubscribe(sub.topic());
  }

  void countDropped() {
    count("subscription.dropped");
  }

  private void requireAllowed(String topic) {
    if (!config.subscriptionFilter().test(topic)) {
      throw new IllegalArgumentException("topic " + topic + " is not allowed by the subscription filter");
    }
  }

  /** Unsubscribes from {@code topic}, pruning its mesh. */
  public void unsubscribe(String topic) {
    Map<GossipPeer, Rpc> out = new HashMap<>();
    synchronized (lock) {
      if (subscriptions.remove(topic) == null) {
        return;
      }
      Set<PeerId> m = mesh.remove(topic);
      for (GossipPeer p : peers.values()) {
        if (p.hasStream()) {
          rpcFor(out, p).subscriptions().add(new Rpc.Subscription(false, topic));
        }
      }
      for (PeerId id : m) {
        scores.prune(id, topic);
        GossipPeer p = peers.get(id);
        if (p != null) {
          addBackoff(topic, id, UNSUBSCRIBE_BACKOFF_NANOS);
          rpcFor(out, p).control().prune().add(prune(p, topic, UNSUBSCRIBE_BACKOFF_NANOS, false));
        }
      }
    }
    sendAll(out);
  }

  /**
   * Publishes {@code data} on {@code topic} (signed under StrictSign), to every subscribed peer
   * with flood publish, else to the mesh or fanout. The topic's validator, if any, sees the message
   * first on the caller's thread (with {@code receivedFrom} null), as go-libp2p validates local
   * publishes: we should not send what we would penalise a peer for.
   *
   * <p>With {@link GossipSubConfig#validateOwnMessages()} off (the go-algorand preset) the
   * validator is not called for our own messages: they are accepted as they are.
   *
   * @return the number of peers the message was queued for
   * @throws PublishRejectedException if the topic's validator rejects or ignores the message
   * @throws IllegalArgumentException if the subscription filter does not allow {@code topic}
   */
  public int publish(String topic, byte[] data) {
    requireAllowed(topic);
    Rpc.WireMessage m;
    if (config.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      byte[] sn = ByteBuffer.allocate(8).putLong(seqno.incrementAndGet()).array();
      Rpc.WireMessage unsigned = new Rpc.WireMessage(self.toBytes(), data, sn, topic, null, null);
      byte[] sig = host.identity().sign(concat(SIGN_PREFIX, unsigned.signedBytes()));
      m = new Rpc.WireMessage(self.toBytes(), data, sn, topic, sig, selfKey);
    } else {
      m = new Rpc.WireMessage(null, data, null, topic, null, null);
    }
    MessageKey id = new MessageKey(config.messageIdFunction().messageId(m.from(), m.key(), m.seqno(), m.data()));
    TopicValidator validator = config.validateOwnMessages() ? validators.get(topic) : null;
    if (validator != null) {
      ValidationResult verdict;
      try {
        verdict = validator.validate(new PubsubMessage(topic, data, m.from() == null ? null : self, m.seqno(),
            id.bytes(), null));
      } catch (RuntimeException e) {
        count("publish.validatorFailed");
        throw new PublishRejectedException(topic, ValidationResult.IGNORE, e);
      }
      if (verdict != ValidationResult.ACCEPT) {
        count(verdict == ValidationResult.REJECT ? "publish.rejected" : "publish.ignored");
        throw new PublishRejectedException(topic, verdict, null);
      }
    }
    byte[] encoded = singleMessage(m);
    List<GossipPeer> targets = new ArrayList<>();
    synchronized (lock) {
      seen.put(id, System.nanoTime());
      mcache.put(id, m);
      for (GossipPeer p : peers.values()) {
        if (!p.hasStream() || !p.topics.contains(topic)) {
          continue;
        }
        if (p.isFloodsub() || direct.containsKey(p.id)
            || (config.floodPublish() && score(p) >= config.thresholds().publish())) {
          targets.add(p);
        }
      }
      if (!config.floodPublish()) {
        Set<PeerId> to = mesh.get(topic);
        if (to == null) {
          to = fanout.computeIfAbsent(topic, t -> new HashSet<>());
          if (to.isEmpty()) {
            for (GossipPeer p : candidates(topic, to, config.d())) {
              to.add(p.id);
            }
          }
          fanoutLastPublish.put(topic, System.nanoTime());
        }
        for (PeerId pid : to) {
          GossipPeer p = peers.get(pid);
          if (p != null && !targets.contains(p)) {
            targets.add(p);
          }
        }
      }
    }
    int n = 0;
    for (GossipPeer p : targets) {
      if (p.enqueue(encoded, true)) {
        n++;
      } else {
        count("queue.dropped");
      }
    }
    count("msg.published");
    return n;
  }

  /** Peers in our mesh for {@code topic}. */
  public Set<PeerId> meshPeers(String topic) {
    synchronized (lock) {
      return Set.copyOf(mesh.getOrDefault(topic, Set.of()));
    }
  }

  /** Peers we know to be subscribed to {@code topic}. */
  public Set<PeerId> topicPeers(String topic) {
    synchronized (lock) {
      Set<PeerId> s = new HashSet<>();
      peers.values().stream().filter(p -> p.topics.contains(topic)).forEach(p -> s.add(p.id));
      return s;
    }
  }

  /** The protocol negotiated on our outbound stream to {@code peer}, if any. */
  public String protocolOf(PeerId peer) {
    synchronized (lock) {
      GossipPeer p = peers.get(peer);
      return p == null ? null : p.protocol;
    }
  }

  /** The current score of {@code peer} (0 for unknown peers). */
  public double score(PeerId peer) {
    synchronized (lock) {
      GossipPeer p = peers.get(peer);
      return p == null ? 0 : score(p);
    }
  }

  /** Heartbeats run since start (for tests that wait a number of heartbeats). */
  long heartbeats() {
    synchronized (lock) {
      return heartbeats;
    }
  }

  /** The value of one counter, e.g. {@code rpc.malformed}, {@code msg.duplicate}; 0 if never counted. */
  public long metric(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /** All counters, sorted by name. */
  public Map<String, Long> metrics() {
    Map<String, Long> m = new TreeMap<>();
    counters.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** A readable snapshot: topics, meshes, peers with protocol, score and queue length, counters. */
  public String dump() {
    StringBuilder sb = new StringBuilder("GossipSub ").append(self).append('\n');
    synchronized (lock) {
      sb.append("  topics: ").append(subscriptions.keySet()).append(", mcache ").append(mcache.size())
          .append(", seen ").append(seen.size()).append('\n');
      mesh.forEach((t, m) -> sb.append("  mesh ").append(t).append(": ").append(m).append('\n'));
      fanout.forEach((t, m) -> sb.append("  fanout ").append(t).append(": ").append(m).append('\n'));
      for (GossipPeer p : peers.values()) {
        sb.append("  peer ").append(p).append(direct.containsKey(p.id) ? " direct" : "").append(" topics ")
            .append(p.topics).append(" score ")
            .append(String.format("%.2f", score(p))).append(" queued ").append(p.queued()).append('\n');
      }
    }
    sb.append("  counters: ").append(metrics()).append('\n');
    return sb.toString();
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    validation.shutdownNow();
    dialer.close();
    for (String p : PROTOCOLS) {
      host.removeStreamHandler(p);
    }
    synchronized (lock) {
      peers.values().forEach(GossipPeer::close);
      peers.clear();
    }
  }

  // ---------------------------------------------------------------- streams

  /** Opens our outbound pubsub stream to the peer of {@code c} if it speaks pubsub. */
  private void openStream(Connection c) {
    PeerId pid = c.remotePeerId();
    synchronized (lock) {
      GossipPeer existing = peers.get(pid);
      if (closed || (existing != null && existing.hasStream()) || !connecting.add(pid)) {
        return;
      }
    }
    try {
      IdentifyInfo info = c.identify().get(15, TimeUnit.SECONDS);
      if (info.protocols().stream().noneMatch(PROTOCOLS::contains)) {
        return;
      }
      dialer.remember(pid, info.signedPeerRecord() != null ? info.signedPeerRecord().addresses()
          : info.listenAddresses());
      Stream s = c.newStream(PROTOCOLS).get(15, TimeUnit.SECONDS);
      GossipPeer p;
      Rpc hello = Rpc.empty();
      synchronized (lock) {
        p = peers.get(pid);
        if (p == null || !p.connection.isOpen()) {
          if (p != null) {
            p.close();
          }
          p = new GossipPeer(pid, c, config.outboundQueueSize());
          peers.put(pid, p);
          scores.addPeer(pid, ipOf(c));
        }
        if (p.hasStream()) {
          s.reset();
          return;
        }
        p.protocol = s.protocol();
        for (String t : subscriptions.keySet()) {
          hello.subscriptions().add(new Rpc.Subscription(true, t));
        }
        // the peer may have told us its topics already on its own stream: graft now if we can
        for (String t : p.topics) {
          maybeGraftOnSubscribe(p, t, hello);
        }
      }
      p.startWriter(s, this::onWriteFailure);
      if (!hello.isEmpty()) {
        p.enqueue(hello.encode(), true);
      }
      LOG.debug("pubsub stream to {} on {}", pid, s.protocol());
    } catch (Exception e) {
      LOG.debug("no pubsub stream to {}: {}", pid, e.toString());
    } finally {
      synchronized (lock) {
        connecting.remove(pid);
      }
    }
  }

  private void onWriteFailure(GossipPeer p) {
    count("peer.writeFailed");
    removePeer(p);
  }

  private void onDisconnected(Connection c) {
    GossipPeer p;
    synchronized (lock) {
      p = peers.get(c.remotePeerId());
      if (p == null || p.connection != c) {
        return;
      }
    }
    removePeer(p);
    // another connection to the same peer may remain: use it
    for (Connection other : host.connections(c.remotePeerId())) {
      if (other.isOpen()) {
        Thread.ofVirtual().start(() -> openStream(other));
        break;
      }
    }
  }

  private void removePeer(GossipPeer p) {
    synchronized (lock) {
      if (peers.get(p.id) != p) {
        return;
      }
      peers.remove(p.id);
      mesh.values().forEach(m -> m.remove(p.id));
      fanout.values().forEach(m -> m.remove(p.id));
      scores.removePeer(p.id);
      for (Iterator<Map<PeerId, Long>> it = promises.values().iterator(); it.hasNext(); ) {
        Map<PeerId, Long> m = it.next();
        if (m.remove(p.id) != null && m.isEmpty()) {
          it.remove();
        }
      }
    }
    p.close();
  }

  /**
   * Reads the RPCs a peer sends on its (inbound to us) stream; a newer inbound stream of the same
   * peer resets this one ({@code stream.inboundReplaced}).
   */
  private void readLoop(Stream stream) throws IOException {
    PeerId pid = stream.connection().remotePeerId();
    Stream previous;
    synchronized (lock) {
      if (closed) {
        return;
      }
      previous = inboundStreams.put(pid, stream);
    }
    if (previous != null) {
      count("stream.inboundReplaced");
      LOG.debug("{} opened another inbound pubsub stream: the one before is reset", pid);
      previous.reset();
    }
    try {
      readStream(stream, pid);
    } finally {
      synchronized (lock) {
        inboundStreams.remove(pid, stream);
      }
    }
  }

  private void readStream(Stream stream, PeerId pid) throws IOException {
    GossipPeer peer;
    synchronized (lock) {
      if (closed) {
        return;
      }
      peer = peers.get(pid);
      if (peer == null) {
        peer = new GossipPeer(pid, stream.connection(), config.outboundQueueSize());
        peers.put(pid, peer);
        scores.addPeer(pid, ipOf(stream.connection()));
      }
    }
    if (!peer.hasStream()) {
      Connection c = stream.connection();
      Thread.ofVirtual().start(() -> openStream(c));
    }
    InputStream in = new BufferedInputStream(stream.in(), 16 * 1024);
    while (!closed) {
      long len = Varint.read(in);
      if (len < 0) {
        return;
      }
      if (len > config.maxRpcSize()) {
        count("rpc.oversized");
        penalise(peer, 1);
        LOG.debug("{} sent an RPC of {} bytes; limit {}", pid, len, config.maxRpcSize());
        stream.reset();
        return;
      }
      byte[] frame = in.readNBytes((int) len);
      if (frame.length != len) {
        count("rpc.truncated");
        return;
      }
      Rpc rpc;
      try {
        rpc = Rpc.decode(frame, config.maxRpcSize(), config.limits());
      } catch (IllegalArgumentException e) {
        count("rpc.malformed");
        penalise(peer, 1);
        LOG.debug("{} sent a malformed RPC: {}", pid, e.getMessage());
        continue;
      }
      count("rpc.received");
      synchronized (lock) {
        peer = peers.getOrDefault(pid, peer);
      }
      handleRpc(peer, rpc);
    }
  }

  // ---------------------------------------------------------------- RPC handling

  private void handleRpc(GossipPeer p, Rpc rpc) {
    Map<GossipPeer, Rpc> out = new HashMap<>();
    List<PeerDialer.Request> pxDials = new ArrayList<>();
    synchronized (lock) {
      if (score(p) < config.thresholds().graylist() && !direct.containsKey(p.id)) {
        count("rpc.graylisted");
        return;
      }
      if (config.maxSubscriptionsPerRpc() > 0 && rpc.subscriptions().size() > config.maxSubscriptionsPerRpc()) {
        // go's WrapLimitSubscriptionFilter: the whole RPC is ignored, without a penalty
        count("subscription.tooMany");
        LOG.debug("{} sent {} subscriptions in one RPC; ignoring it", p.id, rpc.subscriptions().size());
        return;
      }
      for (Rpc.Subscription s : rpc.subscriptions()) {
        if (s.subscribe()) {
          if (!config.subscriptionFilter().test(s.topic())) {
            count("subscription.filtered");
            continue;
          }
          if (p.topics.size() >= MAX_TOPICS_PER_PEER && !p.topics.contains(s.topic())) {
            count("subscription.overLimit");
            continue;
          }
          if (p.topics.add(s.topic()) && p.hasStream()) {
            maybeGraftOnSubscribe(p, s.topic(), rpcFor(out, p));
          }
        } else {
          p.topics.remove(s.topic());
          Set<PeerId> m = mesh.get(s.topic());
          if (m != null && m.remove(p.id)) {
            scores.prune(p.id, s.topic());
          }
          Set<PeerId> f = fanout.get(s.topic());
          if (f != null) {
            f.remove(p.id);
          }
        }
      }
      if (!rpc.control().isEmpty() && !p.isFloodsub()) {
        handleControl(p, rpc.control(), out, pxDials);
      }
    }
    for (PeerDialer.Request r : pxDials) {
      dialer.submit(r);
    }
    for (Rpc.WireMessage m : rpc.messages()) {
      onMessage(p, m);
    }
    sendAll(out);
  }

  /** Grafts a newly subscribed peer at once if our mesh for the topic is below Dlo (as js does). */
  private void maybeGraftOnSubscribe(GossipPeer p, String topic, Rpc out) {
    Set<PeerId> m = mesh.get(topic);
    if (m == null || m.size() >= config.dlo() || m.contains(p.id) || p.isFloodsub() || direct.containsKey(p.id)
        || inBackoff(topic, p.id) || score(p) < 0) {
      return;
    }
    m.add(p.id);
    scores.graft(p.id, topic);
    out.control().graft().add(topic);
  }

  private void handleControl(GossipPeer p, Rpc.Control c, Map<GossipPeer, Rpc> out, List<PeerDialer.Request> pxDials) {
    for (String topic : c.graft()) {
      count("graft.received");
      Set<PeerId> m = mesh.get(topic);
      if (m == null) {
        rpcFor(out, p).control().prune().add(prune(p, topic, config.pruneBackoff().toNanos(), false));
        continue;
      }
      if (m.contains(p.id)) {
        continue;
      }
      if (direct.containsKey(p.id)) {
        // spec v1.1: grafting a direct peer is an error to log and answer with PRUNE; like go and js
        // no penalty and no PX: it is most likely a peering configured on one side only
        count("graft.direct");
        if (warnedDirectGraft.add(p.id)) {
          LOG.warn("GRAFT on {} from direct peer {} refused with PRUNE; is the peering configured on both sides?",
              topic, p.id);
        } else {
          LOG.debug("GRAFT on {} from direct peer {} refused with PRUNE", topic, p.id);
        }
        rpcFor(out, p).control().prune().add(prune(p, topic, config.pruneBackoff().toNanos(), false));
        continue;
      }
      if (inBackoff(topic, p.id)) {
        // spec v1.1: a GRAFT during backoff is a behaviour penalty and extends the backoff
        count("graft.duringBackoff");
        penalise(p, 1);
        addBackoff(topic, p.id, config.pruneBackoff().toNanos());
        rpcFor(out, p).control().prune().add(prune(p, topic, config.pruneBackoff().toNanos(), false));
        continue;
      }
      if (score(p) < 0 || (m.size() >= config.dhi() && !p.outbound())) {
        // a full mesh is oversubscription: the refused peer may get PX (not one scoring below 0)
        addBackoff(topic, p.id, config.pruneBackoff().toNanos());
        rpcFor(out, p).control().prune().add(prune(p, topic, config.pruneBackoff().toNanos(), true));
        continue;
      }
      m.add(p.id);
      scores.graft(p.id, topic);
    }
    for (Rpc.Prune pr : c.prune()) {
      count("prune.received");
      Set<PeerId> m = mesh.get(pr.topic());
      if (m == null) {
        // Not a mesh of ours (go-libp2p skips it too): recording a backoff for it would let a peer
        // grow the backoff table without bound, a topic name per entry.
        count("prune.unknownTopic");
        continue;
      }
      if (m.remove(p.id)) {
        scores.prune(p.id, pr.topic());
      }
      long b = pr.backoffSeconds() > 0
          ? TimeUnit.SECONDS.toNanos(Math.min(pr.backoffSeconds(), MAX_PRUNE_BACKOFF_SECONDS))
          : config.pruneBackoff().toNanos();
      addBackoff(pr.topic(), p.id, b);
      if (!pr.peers().isEmpty()) {
        acceptPx(p, pr, true, pxDials);
      }
    }
    if (!c.ihave().isEmpty() && score(p) >= config.thresholds().gossip()) {
      if (++p.ihaveThisHeartbeat > config.maxIHaveMessages()) {
        count("ihave.overLimit");
      } else {
        List<byte[]> want = new ArrayList<>();
        for (Rpc.IHave ih : c.ihave()) {
          count("ihave.received");
          if (!subscriptions.containsKey(ih.topic())) {
            continue;
          }
          for (byte[] id : ih.ids()) {
            MessageKey k = new MessageKey(id);
            if (!seen.containsKey(k) && p.askedThisHeartbeat < config.maxIHaveLength()) {
              p.askedThisHeartbeat++;
              want.add(id);
            }
          }
        }
        if (!want.isEmpty()) {
          rpcFor(out, p).control().iwant().addAll(want);
          addPromise(p.id, want);
        }
      }
    }
    for (byte[] id : c.iwant()) {
      count("iwant.received");
      MessageCache.Entry e = mcache.get(new MessageKey(id));
      if (e == null) {
        continue;
      }
      int n = e.iwantCounts().merge(p.id, 1, Integer::sum);
      if (n > MAX_IWANT_PER_MESSAGE) {
        count("iwant.overLimit");
        continue;
      }
      rpcFor(out, p).messages().add(e.message());
    }
    for (byte[] id : c.idontwant()) {
      count("idontwant.received");
      if (p.dontWant.size() < MAX_DONTWANT_PER_PEER) {
        p.dontWant.put(new MessageKey(id), heartbeats + DONTWANT_HEARTBEATS);
      }
    }
  }

  /** Checks a received message against the signature policy and the seen cache, then validates it. */
  private void onMessage(GossipPeer p, Rpc.WireMessage m) {
    count("msg.received");
    String topic = m.topic();
    boolean subscribed;
    synchronized (lock) {
      subscribed = subscriptions.containsKey(topic);
    }
    if (!subscribed) {
      count("msg.notSubscribed");
      return;
    }
    MessageKey id;
    try {
      id = new MessageKey(config.messageIdFunction().messageId(m.from(), m.key(), m.seqno(), m.data()));
    } catch (RuntimeException e) {
      id = null; // the ID function choked on a malformed message; it is rejected below
    }
    // duplicates are dropped before the (costly) signature check; only valid messages are marked seen
    if (id != null && isDuplicate(p, id, topic)) {
      return;
    }
    String invalid = checkPolicy(m);
    if (id != null && !"signature".equals(invalid) && !"noSignature".equals(invalid)) {
      // as go: the promise is kept once the message reaches validation, or is rejected for
      // anything but a missing or bad signature (then the penalty for the invalid message applies)
      synchronized (lock) {
        promises.remove(id);
      }
    }
    if (invalid != null || id == null) {
      invalid = invalid == null ? "messageId" : invalid;
      count("msg.invalid");
      count("msg.invalid." + invalid);
      synchronized (lock) {
        scores.reject(p.id, topic);
      }
      LOG.debug("{} sent an invalid message: {}", p.id, invalid);
      return;
    }
    List<GossipPeer> dontWantTo = new ArrayList<>();
    synchronized (lock) {
      if (isDuplicate(p, id, topic)) {
        return;
      }
      seen.put(id, System.nanoTime());
      int size = m.data() == null ? 0 : m.data().length;
      Set<PeerId> meshPeers = mesh.get(topic);
      if (size >= config.idontwantMinSize()) {
        // the peers we would forward it to: the mesh and the direct peers of the topic
        Set<PeerId> to = new HashSet<>(meshPeers == null ? Set.of() : meshPeers);
        for (PeerId d : direct.keySet()) {
          GossipPeer q = peers.get(d);
          if (q != null && q.topics.contains(topic)) {
            to.add(d);
          }
        }
        for (PeerId pid : to) {
          GossipPeer q = peers.get(pid);
          if (q != null && q != p && q.supportsIDontWant()) {
            dontWantTo.add(q);
          }
        }
      }
    }
    if (!dontWantTo.isEmpty()) {
      Rpc r = Rpc.empty();
      r.control().idontwant().add(id.bytes());
      byte[] enc = r.encode();
      dontWantTo.forEach(q -> q.enqueue(enc, true));
    }
    PeerId author = m.from() == null ? null : PeerId.fromBytes(m.from());
    PubsubMessage msg = new PubsubMessage(topic, m.data() == null ? new byte[0] : m.data(), author, m.seqno(),
        id.bytes(), p.id);
    MessageKey key = id;
    try {
      validation.execute(() -> validateAndForward(p, m, msg, key));
    } catch (RejectedExecutionException e) {
      count("validation.dropped");
      synchronized (lock) {
        seen.remove(key); // let a later copy through
      }
    }
  }

  private boolean isDuplicate(GossipPeer p, MessageKey id, String topic) {
    synchronized (lock) {
      if (!seen.containsKey(id)) {
        return false;
      }
      count("msg.duplicate");
      scores.duplicate(p.id, id, topic, mesh.getOrDefault(topic, Set.of()).contains(p.id));
      return true;
    }
  }

  private void validateAndForward(GossipPeer from, Rpc.WireMessage m, PubsubMessage msg, MessageKey id) {
    TopicValidator v = validators.get(msg.topic());
    ValidationResult r;
    try {
      r = v == null ? ValidationResult.ACCEPT : v.validate(msg);
    } catch (RuntimeException e) {
      LOG.warn("validator of {} threw; ignoring the message", msg.topic(), e);
      r = ValidationResult.IGNORE;
    }
    if (r == ValidationResult.REJECT) {
      count("msg.rejected");
      synchronized (lock) {
        scores.reject(from.id, msg.topic());
      }
      return;
    }
    if (r == ValidationResult.IGNORE) {
      count("msg.ignored");
      return;
    }
    Consumer<PubsubMessage> handler;
    synchronized (lock) {
      mcache.put(id, m);
      handler = subscriptions.get(msg.topic());
      scores.deliver(from.id, id, msg.topic(), mesh.getOrDefault(msg.topic(), Set.of()).contains(from.id));
    }
    forward(from, m, id);
    if (handler != null) {
      count("msg.delivered");
      try {
        handler.accept(msg);
      } catch (RuntimeException e) {
        LOG.warn("subscriber of {} threw", msg.topic(), e);
      }
    }
  }

  /** Sends an accepted message to the topic's mesh (and floodsub peers), except back to its sources. */
  private void forward(GossipPeer from, Rpc.WireMessage m, MessageKey id) {
    List<GossipPeer> targets = new ArrayList<>();
    PeerId author = m.from() == null ? null : safePeerId(m.from());
    synchronized (lock) {
      Set<PeerId> to = new HashSet<>(mesh.getOrDefault(m.topic(), Set.of()));
      for (GossipPeer p : peers.values()) {
        if ((p.isFloodsub() || direct.containsKey(p.id)) && p.topics.contains(m.topic())) {
          to.add(p.id);
        }
      }
      to.remove(from.id);
      if (author != null) {
        to.remove(author);
      }
      for (PeerId pid : to) {
        GossipPeer p = peers.get(pid);
        if (p == null || !p.hasStream()) {
          continue;
        }
        if (p.dontWant.containsKey(id)) {
          count("msg.skippedIDontWant");
          continue;
        }
        targets.add(p);
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    byte[] enc = singleMessage(m);
    for (GossipPeer p : targets) {
      if (p.enqueue(enc, false)) {
        count("msg.forwarded");
      } else {
        count("queue.dropped");
        penalise(p, 0.1); // a peer that cannot keep up loses standing, slowly
      }
    }
  }

  /** Null if {@code m} is acceptable under the policy, else the reason. */
  private String checkPolicy(Rpc.WireMessage m) {
    if (config.signaturePolicy() == SignaturePolicy.STRICT_NO_SIGN) {
      if (m.signature() != null) {
        return "signaturePresent";
      }
      if (m.seqno() != null) {
        return "seqnoPresent";
      }
      if (m.key() != null || m.from() != null) {
        return "fromPresent";
      }
      return null;
    }
    if (m.seqno() == null || m.seqno().length != 8) {
      return "seqno";
    }
    if (m.signature() == null) {
      return "noSignature";
    }
    if (m.from() == null) {
      return "noFrom";
    }
    PeerId from = safePeerId(m.from());
    if (from == null) {
      return "from";
    }
    PublicKey key;
    try {
      if (m.key() != null) {
        key = PublicKey.fromProtobuf(m.key());
        if (!from.matches(key)) {
          return "keyNotFrom";
        }
      } else {
        key = from.publicKey().orElse(null);
        if (key == null) {
          return "noKey";
        }
      }
    } catch (IllegalArgumentException e) {
      return "key";
    }
    byte[] signed = concat(SIGN_PREFIX, new Rpc.WireMessage(m.from(), m.data(), m.seqno(), m.topic(), null, null)
        .signedBytes());
    try {
      return key.verify(signed, m.signature()) ? null : "signature";
    } catch (RuntimeException e) {
      return "signature";
    }
  }

  // ---------------------------------------------------------------- heartbeat

  private void heartbeatSafely() {
    try {
      heartbeat();
    } catch (RuntimeException e) {
      LOG.warn("gossipsub heartbeat failed", e);
    }
  }

  /** Mesh maintenance, fanout expiry, gossip emission, cache shifts and penalty decay. */
  void heartbeat() {
    Map<GossipPeer, Rpc> out = new HashMap<>();
    long now = System.nanoTime();
    boolean directConnect;
    synchronized (lock) {
      heartbeats++;
      directConnect = heartbeats % config.directConnectTicks() == 0;
      for (Iterator<Map<PeerId, Long>> it = backoff.values().iterator(); it.hasNext(); ) {
        Map<PeerId, Long> b = it.next();
        b.values().removeIf(until -> until - now < 0);
        if (b.isEmpty()) {
          it.remove();
        }
      }
      for (GossipPeer p : peers.values()) {
        p.ihaveThisHeartbeat = 0;
        p.askedThisHeartbeat = 0;
        p.dontWant.values().removeIf(h -> h <= heartbeats);
      }
      if (now - lastDecayNanos >= config.scoreParams().decayInterval().toNanos()) {
        lastDecayNanos = now;
        scores.decay();
        scores.expireDeliveries(config.seenTtl().toNanos());
      }
      for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
        String topic = e.getKey();
        Set<PeerId> m = e.getValue();
        for (Iterator<PeerId> it = m.iterator(); it.hasNext(); ) {
          PeerId pid = it.next();
          GossipPeer p = peers.get(pid);
          if (p == null || !p.topics.contains(topic)) {
            it.remove();
            scores.prune(pid, topic);
          } else if (score(p) < 0) {
            it.remove();
            scores.prune(pid, topic);
            addBackoff(topic, p.id, config.pruneBackoff().toNanos());
            rpcFor(out, p).control().prune().add(prune(p, topic, config.pruneBackoff().toNanos(), false));
          }
        }
        if (m.size() < config.dlo()) {
          for (GossipPeer p : candidates(topic, m, config.d() - m.size())) {
            m.add(p.id);
            scores.graft(p.id, topic);
            rpcFor(out, p).control().graft().add(topic);
          }
        } else if (m.size() > config.dhi()) {
          List<GossipPeer> members = new ArrayList<>();
          m.forEach(id -> members.add(peers.get(id)));
          members.sort(Comparator.comparingDouble((GossipPeer p) -> score(p)).reversed());
          List<GossipPeer> keep = new ArrayList<>(members.subList(0, Math.min(config.dscore(), members.size())));
          List<GossipPeer> rest = new ArrayList<>(members.subList(keep.size(), members.size()));
          Collections.shuffle(rest);
          // keep at least Dout outbound peers (spec v1.1: resists an eclipse by inbound connections)
          long outbound = keep.stream().filter(GossipPeer::outbound).count();
          for (Iterator<GossipPeer> it = rest.iterator(); it.hasNext() && outbound < config.dout(); ) {
            GossipPeer p = it.next();
            if (p.outbound() && keep.size() < config.d()) {
              keep.add(p);
              it.remove();
              outbound++;
            }
          }
          for (GossipPeer p : rest) {
            if (keep.size() >= config.d()) {
              break;
            }
            keep.add(p);
          }
          for (GossipPeer p : members) {
            if (!keep.contains(p)) {
              m.remove(p.id);
              scores.prune(p.id, topic);
              addBackoff(topic, p.id, config.pruneBackoff().toNanos());
              rpcFor(out, p).control().prune().add(prune(p, topic, config.pruneBackoff().toNanos(), true));
            }
          }
        }
      }
      if (heartbeats % OPPORTUNISTIC_GRAFT_TICKS == 0) {
        opportunisticGraft(out);
      }
      long ttl = config.fanoutTtl().toNanos();
      for (Iterator<Map.Entry<String, Set<PeerId>>> it = fanout.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Set<PeerId>> e = it.next();
        Long last = fanoutLastPublish.get(e.getKey());
        if (last == null || now - last > ttl) {
          it.remove();
          fanoutLastPublish.remove(e.getKey());
          continue;
        }
        e.getValue().removeIf(id -> peers.get(id) == null || !peers.get(id).topics.contains(e.getKey()));
        if (e.getValue().size() < config.d()) {
          for (GossipPeer p : candidates(e.getKey(), e.getValue(), config.d() - e.getValue().size())) {
            e.getValue().add(p.id);
          }
        }
      }
      applyBrokenPromises(now);
      emitGossip(mesh, out);
      emitGossip(fanout, out);
      mcache.shift();
      long seenTtl = config.seenTtl().toNanos();
      for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
        if (now - it.next() > seenTtl) {
          it.remove();
        } else {
          break; // insertion order = age order
        }
      }
    }
    sendAll(out);
    if (directConnect) {
      direct.values().forEach(dialer::dialDirect);
    }
  }

  /**
   * Spec v1.1: when the median score of a mesh falls below the opportunistic graft threshold,
   * graft a few peers that score above the median.
   */
  private void opportunisticGraft(Map<GossipPeer, Rpc> out) {
    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      Set<PeerId> m = e.getValue();
      if (m.size() <= 1) {
        continue;
      }
      double[] s = m.stream().mapToDouble(id -> scores.score(id)).sorted().toArray();
      double median = s[s.length / 2];
      if (median >= config.thresholds().opportunisticGraft()) {
        continue;
      }
      int added = 0;
      for (GossipPeer p : candidates(e.getKey(), m, Integer.MAX_VALUE)) {
        if (added >= OPPORTUNISTIC_GRAFT_PEERS) {
          break;
        }
        if (score(p) > median) {
          m.add(p.id);
          scores.graft(p.id, e.getKey());
          rpcFor(out, p).control().graft().add(e.getKey());
          count("graft.opportunistic");
          added++;
        }
      }
    }
  }

  /** Tracks one random ID of an IWANT we send to {@code peer}: the peer promised to deliver it. */
  private void addPromise(PeerId peer, List<byte[]> ids) {
    MessageKey id = new MessageKey(ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
    promises.computeIfAbsent(id, k -> new HashMap<>())
        .putIfAbsent(peer, System.nanoTime() + config.iwantFollowupTime().toNanos());
  }

  /** Peers that did not deliver what they promised in time get a behaviour penalty per broken promise (P7). */
  private void applyBrokenPromises(long now) {
    Map<PeerId, Integer> broken = new HashMap<>();
    for (Iterator<Map<PeerId, Long>> it = promises.values().iterator(); it.hasNext(); ) {
      Map<PeerId, Long> byPeer = it.next();
      for (Iterator<Map.Entry<PeerId, Long>> pit = byPeer.entrySet().iterator(); pit.hasNext(); ) {
        Map.Entry<PeerId, Long> e = pit.next();
        if (e.getValue() - now < 0) {
          broken.merge(e.getKey(), 1, Integer::sum);
          pit.remove();
        }
      }
      if (byPeer.isEmpty()) {
        it.remove();
      }
    }
    broken.forEach((peer, n) -> {
      scores.penalise(peer, n);
      counters.computeIfAbsent("iwant.brokenPromise", k -> new LongAdder()).add(n);
      LOG.debug("{} did not follow up on {} IWANT requests; penalised", peer, n);
    });
  }

  private void emitGossip(Map<String, Set<PeerId>> topics, Map<GossipPeer, Rpc> out) {
    for (Map.Entry<String, Set<PeerId>> e : topics.entrySet()) {
      List<MessageKey> ids = mcache.gossipIds(e.getKey());
      if (ids.isEmpty()) {
        continue;
      }
      List<GossipPeer> eligible = new ArrayList<>();
      for (GossipPeer p : peers.values()) {
        if (p.hasStream() && !p.isFloodsub() && !direct.containsKey(p.id) && p.topics.contains(e.getKey())
            && !e.getValue().contains(p.id) && score(p) >= config.thresholds().gossip()) {
          eligible.add(p);
        }
      }
      Collections.shuffle(eligible);
      int n = Math.max(config.dlazy(), (int) (config.gossipFactor() * eligible.size()));
      if (ids.size() > config.maxIHaveLength()) {
        Collections.shuffle(ids);
        ids = ids.subList(0, config.maxIHaveLength());
      }
      List<byte[]> raw = ids.stream().map(MessageKey::bytes).toList();
      for (GossipPeer p : eligible.subList(0, Math.min(n, eligible.size()))) {
        rpcFor(out, p).control().ihave().add(new Rpc.IHave(e.getKey(), raw));
      }
    }
  }

  // ---------------------------------------------------------------- helpers (under lock)

  /** Up to {@code n} random peers for {@code topic} that may join a mesh or fanout. */
  private List<GossipPeer> candidates(String topic, Set<PeerId> exclude, int n) {
    if (n <= 0) {
      return List.of();
    }
    List<GossipPeer> c = new ArrayList<>();
    for (GossipPeer p : peers.values()) {
      if (p.hasStream() && !p.isFloodsub() && !direct.containsKey(p.id) && p.topics.contains(topic)
          && !exclude.contains(p.id) && !inBackoff(topic, p.id) && score(p) >= 0) {
        c.add(p);
      }
    }
    Collections.shuffle(c, ThreadLocalRandom.current());
    return c.subList(0, Math.min(n, c.size()));
  }

  private boolean inBackoff(String topic, PeerId id) {
    Map<PeerId, Long> b = backoff.get(topic);
    Long until = b == null ? null : b.get(id);
    return until != null && until - System.nanoTime() > 0;
  }

  private void addBackoff(String topic, PeerId id, long nanos) {
    long until = System.nanoTime() + nanos;
    backoff.computeIfAbsent(topic, t -> new HashMap<>()).merge(id, until, (a, b) -> b - a > 0 ? b : a);
  }

  /**
   * A PRUNE for {@code p}: the backoff for v1.1+ peers, and with {@code px} (a full mesh), when
   * {@link GossipSubConfig#doPx()} is on and {@code p} scores at least 0, up to {@code prunePeers}
   * other peers of the topic (v1.0 peers know neither field).
   */
  private Rpc.Prune prune(GossipPeer p, String topic, long backoffNanos, boolean px) {
    if (!p.supportsBackoff()) {
      return new Rpc.Prune(topic, 0);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(backoffNanos);
    if (!px || !config.doPx() || config.prunePeers() == 0 || score(p) < 0) {
      return new Rpc.Prune(topic, seconds);
    }
    List<Rpc.PeerInfo> offered = pxPeers(topic, p.id);
    if (!offered.isEmpty()) {
      count("px.sent");
    }
    return new Rpc.Prune(topic, seconds, offered);
  }

  /**
   * Up to {@code prunePeers} random gossipsub peers of {@code topic} scoring at least 0, other than
   * {@code pruned}, each with the signed peer record it sent in identify if it sent one. Direct
   * peers are not offered: their peering is an agreement made out of band, not an invitation.
   */
  private List<Rpc.PeerInfo> pxPeers(String topic, PeerId pruned) {
    List<GossipPeer> c = new ArrayList<>();
    for (GossipPeer q : peers.values()) {
      if (q.hasStream() && !q.isFloodsub() && !q.id.equals(pruned) && !direct.containsKey(q.id)
          && q.topics.contains(topic) && score(q) >= 0) {
        c.add(q);
      }
    }
    Collections.shuffle(c, ThreadLocalRandom.current());
    List<Rpc.PeerInfo> out = new ArrayList<>();
    for (GossipPeer q : c.subList(0, Math.min(config.prunePeers(), c.size()))) {
      IdentifyInfo info = q.connection.identify().isDone() && !q.connection.identify().isCompletedExceptionally()
          ? q.connection.identify().getNow(null) : null;
      out.add(new Rpc.PeerInfo(q.id.toBytes(), info == null ? null : info.signedPeerRecordEnvelope()));
    }
    return out;
  }

  /**
   * The PX of a PRUNE from {@code p}: ignored for a topic we are not in or when {@code p} scores
   * below {@code acceptPx}; else up to {@code prunePeers} of the listed peers we have no pubsub
   * peer for are handed to the dialer (after the lock is released), which checks their records.
   */
  private void acceptPx(GossipPeer p, Rpc.Prune pr, boolean ourTopic, List<PeerDialer.Request> pxDials) {
    count("px.received");
    if (!ourTopic) {
      count("px.ignoredTopic");
      return;
    }
    if (score(p) < config.thresholds().acceptPx()) {
      count("px.ignoredScore");
      LOG.debug("ignoring PX from {}: score {} below {}", p.id, score(p), config.thresholds().acceptPx());
      return;
    }
    List<Rpc.PeerInfo> listed = new ArrayList<>(pr.peers());
    if (listed.size() > config.prunePeers()) {
      Collections.shuffle(listed, ThreadLocalRandom.current());
      listed = listed.subList(0, config.prunePeers());
    }
    for (Rpc.PeerInfo pi : listed) {
      PeerId id = safePeerId(pi.peerId());
      if (id == null) {
        count("px.invalidPeerId");
        continue;
      }
      if (id.equals(self) || peers.containsKey(id)) {
        continue;
      }
      pxDials.add(new PeerDialer.Request(id, pi.signedPeerRecord()));
    }
  }

  private double score(GossipPeer p) {
    return scores.score(p.id);
  }

  private void penalise(GossipPeer p, double amount) {
    synchronized (lock) {
      scores.penalise(p.id, amount);
    }
  }

  private static String ipOf(Connection c) {
    try {
      return c.remoteAddress().components().get(0).valueText();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Rpc rpcFor(Map<GossipPeer, Rpc> out, GossipPeer p) {
    return out.computeIfAbsent(p, k -> Rpc.empty());
  }

  /**
   * Queues each peer's RPC. A peer whose stream from us is not open yet (it spoke first: its GRAFT
   * can arrive before identify lets us open ours) keeps the RPC in its queue until the writer
   * starts, so an answer such as a PRUNE is not lost.
   */
  private void sendAll(Map<GossipPeer, Rpc> out) {
    out.forEach((p, rpc) -> {
      if (!rpc.isEmpty()) {
        if (p.isFloodsub()) {
          rpc = new Rpc(rpc.subscriptions(), rpc.messages(), Rpc.Control.empty());
          if (rpc.isEmpty()) {
            return;
          }
        }
        if (!p.enqueue(rpc.encode(), true)) {
          count("queue.dropped");
        }
      }
    });
  }

  private void count(String name) {
    counters.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  private static byte[] singleMessage(Rpc.WireMessage m) {
    Rpc r = Rpc.empty();
    r.messages().add(m);
    return r.encode();
  }

  private static PeerId safePeerId(byte[] b) {
    try {
      return PeerId.fromBytes(b);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
