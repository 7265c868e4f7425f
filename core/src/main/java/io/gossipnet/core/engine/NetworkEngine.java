package io.gossipnet.core.engine;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.GossipException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.HttpPeer;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.TaggedValidator;
import io.gossipnet.core.Tags;
import io.gossipnet.core.filter.Digest;
import io.gossipnet.core.filter.IncomingDuplicateFilter;
import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.http.RateLimitingHttpClient;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityException;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.interest.LocalInterest;
import io.gossipnet.core.mesh.JitterBackoff;
import io.gossipnet.core.mesh.MeshStrategy;
import io.gossipnet.core.mesh.Mesher;
import io.gossipnet.core.metrics.NetworkMetrics;
import io.gossipnet.core.phonebook.Phonebook;
import io.gossipnet.core.phonebook.RateLimitedDialer;
import io.gossipnet.core.phonebook.Role;
import io.gossipnet.core.spi.HandshakeException;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.core.spi.MessageConnection;
import io.gossipnet.core.spi.PayloadLimit;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.core.spi.Transport;
import io.gossipnet.core.spi.TransportContext;
import io.gossipnet.core.spi.TransportPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-neutral network: everything of a {@link GossipNode} except moving bytes. A
 * transport ({@link Transport}) listens, dials and hands over handshaken {@link MessageConnection}s;
 * the engine runs the peers ({@link WsPeer}), the {@link Broadcaster}, the handler threads with
 * the shared read buffer, the {@link Multiplexer}, the phonebook and the mesh, the identity
 * tracker and the message-of-interest state. {@code WsNetwork} and {@code P2PNetwork} are this
 * class over their transports.
 */
public class NetworkEngine implements GossipNode, io.gossipnet.core.http.RoutedNode {
  private static final Logger log = LoggerFactory.getLogger(NetworkEngine.class);
  /** Prefix of the peer features ({@code avvpack2048} ...) that announce stateful vote packing. */
  static final String STATEFUL_VOTE_PACKING_PREFIX = "avvpack";

  private final NetworkConfig config;
  private final Transport transport;
  private final TransportPolicy policy;
  /** This node's own identity key, independent of the WS challenge scheme; null if it has none. */
  private final byte[] selfKey;
  /**
   * The node handlers see as {@code msg.network()}: this engine, or the hybrid that holds it. Set
   * before {@link #start()} (the peer threads are started after it), so a plain field: it is read
   * once per received message.
   */
  private GossipNode owner = this;
  private final NetworkMetrics metrics;
  private final Multiplexer multiplexer;
  /** The engine's clock in nanoseconds (only differences matter); System::nanoTime by default. */
  private final LongSupplier clock;
  private final Broadcaster broadcaster;
  private final HandlerQueue<Delivery> readBuffer;
  private final Phonebook phonebook;
  private final IdentityChallengeScheme identity;
  private final IdentityTracker identityTracker;
  private final IncomingDuplicateFilter incomingFilter;
  private final Mesher mesher;
  private final byte[] nodeRandom = new byte[10];
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  /**
   * Dial attempts in flight, by canonical address (guarded by itself). A pass starts a second or
   * third attempt to an address whose attempts have all been pending since an earlier pass: a
   * connect sent while the path was down waits out TCP's backoff (SYN retransmissions 1, 3, 7 s
   * apart) or goes nowhere, while a fresh one gets through as soon as the path is back.
   */
  private final Map<String, List<DialAttempt>> dialing = new HashMap<>();
  /** The most dial attempts in flight at one address (pending attempts are not cancelled). */
  public static final int MAX_DIAL_ATTEMPTS_PER_ADDRESS = 3;
  private final PayloadLimit payloadLimit;

  private final Object peersLock = new Object();
  /**
   * Incoming connections {@link #addPeer} has taken a place for and not yet added (guarded by
   * {@code peersLock}): counted with the incoming peers, so that handshakes that finish at once
   * cannot take the node past its incoming limits.
   */
  private int admitting;
  private final Map<String, Integer> admittingFrom = new HashMap<>();
  private final Object identityLock = new Object();
  /** The identity key (hex) found behind each address this node dialed, to avoid redialing it. */
  private final ConcurrentHashMap<String, String> dialedIdentities = new ConcurrentHashMap<>();
  private volatile WsPeer[] peers = new WsPeer[0];

  private final LocalInterest interest = new LocalInterest();

  private final List<Thread> workers = new ArrayList<>();
  /** The injected scheduler, or null: then the engine makes (and shuts down) its own. */
  private final ScheduledExecutorService injectedScheduler;
  private final HttpRouter httpRouter;
  private volatile ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> scheduled = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile RateLimitedDialer dialer;
  private volatile long lastNetworkAdvanceNanos;

  /** A message in the shared read buffer. */
  private record Delivery(IncomingMessage msg, WsPeer peer, long enqueuedNanos) {}

  /**
   * Creates a network over a transport.
   *
   * @param config the settings
   * @param transport the transport
   * @param registry where the meters go
   * @param identity the identity challenge, or null to run without it
   * @param identityTracker the tracker of connected identities (shared in a hybrid node)
   */
  public NetworkEngine(
      NetworkConfig config,
      Transport transport,
      MeterRegistry registry,
      IdentityChallengeScheme identity,
      IdentityTracker identityTracker) {
    this(builder(config, transport).meterRegistry(registry).identity(identity).identityTracker(identityTracker));
  }

  /**
   * Creates a network from a builder; subclasses (a transport's network class) call this.
   *
   * @param b the pieces; every one not set gets its default
   */
  protected NetworkEngine(Builder b) {
    b.resolve();
    this.config = b.config;
    this.transport = b.transport;
    this.policy = transport.policy() == null ? TransportPolicy.DEFAULT : transport.policy();
    this.clock = b.clock;
    this.lastNetworkAdvanceNanos = clock.getAsLong();
    this.metrics = new NetworkMetrics(b.registry, transport.networkType());
    this.identity = config.enableIdentityChallenge() ? b.identity : null;
    this.selfKey =
        b.selfKey != null ? b.selfKey.clone() : this.identity != null ? this.identity.publicKey() : null;
    this.identityTracker = b.identityTracker;
    this.multiplexer = b.multiplexer;
    this.broadcaster = new Broadcaster(config, metrics, () -> peers, clock);
    this.readBuffer = new HandlerQueue<>(config.effectiveReadBufferSize());
    this.phonebook = b.phonebook;
    this.incomingFilter = b.incomingFilter.orElse(null);
    if (b.owner != null) {
      this.owner = b.owner;
    }
    this.injectedScheduler = b.scheduler;
    this.httpRouter = b.httpRouter;
    HttpHosting hosting = transport.http();
    if (hosting != null) {
      hosting.serve(httpRouter);
    }
    MeshStrategy strategy = b.meshStrategy != null ? b.meshStrategy : this::meshPass;
    this.mesher = new Mesher(strategy, config.gossipFanout(), config.meshInterval(), b.meshBackoff);
    new SecureRandom().nextBytes(nodeRandom);
    Tags tags = config.tags();
    this.payloadLimit =
        code -> {
          Tag t = tags.lookup(code);
          return t == null || t.maxPayloadSize() == 0 ? Tags.MAX_MESSAGE_LENGTH : t.maxPayloadSize();
        };
    metrics.gauge("gossipnet.peers", "connected peers", () -> peers.length);
    metrics.gauge("gossipnet.peers.incoming", "incoming peers", () -> count(false));
    metrics.gauge("gossipnet.peers.outgoing", "outgoing peers", () -> count(true));
    metrics.gauge("gossipnet.read.buffer.size", "messages waiting for handlers", readBuffer::size);
  }

  /**
   * The phonebook a network with {@code config} makes when given none: the configured connection
   * rate limit, and {@link NetworkConfig#relayPeers()} as persistent {@link
   * io.gossipnet.core.phonebook.Role#RELAY} entries of the network {@link
   * NetworkConfig#genesisId()}.
   *
   * @param config the settings
   * @param nanoClock the phonebook's clock, in nanoseconds
   */
  public static Phonebook defaultPhonebook(NetworkConfig config, LongSupplier nanoClock) {
    Phonebook pb = new Phonebook(config.connectionsRateLimitingCount(), config.connectionsRateLimitingWindow(), nanoClock);
    pb.addPersistentPeers(config.relayPeers(), config.genesisId(), io.gossipnet.core.phonebook.Role.RELAY);
    return pb;
  }

  /**
   * A builder of a network over {@code transport}. Every piece is injectable, so that two engines
   * of a hybrid node can share one identity tracker and one incoming duplicate filter.
   */
  public static Builder builder(NetworkConfig config, Transport transport) {
    return new Builder(config, transport);
  }

  /**
   * The node that handlers see as {@link IncomingMessage#network()}: this engine unless a hybrid
   * node that holds it said otherwise, so that {@code msg.network().relay(...)} relays on every
   * network of the node.
   */
  public GossipNode owner() {
    return owner;
  }

  /**
   * Makes {@code node} the owner that handlers see (a hybrid node calls this on its child engines
   * before starting them).
   *
   * @throws IllegalStateException if the network has already started
   */
  public void setOwner(GossipNode node) {
    if (started.get()) {
      throw new IllegalStateException("the owner is set before start()");
    }
    this.owner = node == null ? this : node;
  }

  /**
   * This node's own Ed25519 public key (a copy): the identity challenge's signer or the key given
   * to the builder; empty if the node has none.
   */
  public Optional<byte[]> selfKey() {
    return selfKey == null ? Optional.empty() : Optional.of(selfKey.clone());
  }

  /** The transport this engine runs over. */
  public Transport transport() {
    return transport;
  }

  /** What the engine does differently over this transport. */
  public TransportPolicy policy() {
    return policy;
  }

  /**
   * One mesh pass when the builder was given no {@link MeshStrategy}: by default, dial phonebook
   * relays toward the fanout. A transport's network overrides it (P2P first refreshes its
   * peerstore from the DHT). Called from the mesher's thread, never from a constructor.
   *
   * @param target the number of outgoing connections wanted
   * @return the outgoing plus pending connections after the pass
   */
  protected int meshPass(int target) {
    return dialRelaysPass(target);
  }

  /**
   * Runs one pass of this engine's own mesh ({@link #meshPass(int)}) now, on the caller's thread:
   * for a node that drives several engines from one mesher (a hybrid relay gives its child engines
   * a {@link io.gossipnet.core.mesh.NoopMeshStrategy} and calls this on each in turn). Must not
   * run concurrently with the engine's own mesher doing real passes.
   *
   * @param target the number of outgoing connections wanted; 0 still runs the pass (a P2P engine
   *     refreshes its peerstore from the DHT)
   * @return the outgoing plus pending connections after the pass
   */
  public final int meshPassNow(int target) {
    return meshPass(target);
  }

  /** The engine's clock, in nanoseconds (only differences matter). */
  LongSupplier clock() {
    return clock;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    if (config.relays() && config.tags().lookup("SP") != null) {
      registerMessageInterest(config.tags().lookup("SP"));
    }
    for (int i = 0; i < config.handlerThreads(); i++) {
      workers.add(Thread.ofVirtual().name("gossipnet-handler-" + i).start(this::handlerLoop));
    }
    broadcaster.start();
    scheduler =
        injectedScheduler != null
            ? injectedScheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "gossipnet-maintenance");
                  t.setDaemon(true);
                  return t;
                });
    dialer = new RateLimitedDialer(phonebook, scheduler);
    long slow = config.slowWriterCheckInterval().toMillis();
    long idle = config.idleCheckInterval().toMillis();
    scheduled.add(scheduler.scheduleAtFixedRate(this::checkLiveness, slow, Math.min(slow, idle), TimeUnit.MILLISECONDS));
    try {
      transport.start(new Context());
    } catch (IOException e) {
      stop();
      throw new GossipException("transport " + transport.networkType() + " failed to start: " + e.getMessage(), e);
    }
    mesher.start();
    mesher.requestPass();
    log.info("network {} started: genesis {}, address {}", transport.networkType(), config.genesisId(), address().orElse("(not listening)"));
  }

  @Override
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    mesher.stop();
    broadcaster.stop();
    WsPeer[] all = peers;
    List<Thread> closers = new ArrayList<>();
    for (WsPeer p : all) {
      closers.add(Thread.ofVirtual().start(() -> p.closeAndWait(DisconnectReason.NODE_SHUTDOWN, config.shutdownAckTimeout())));
    }
    joinAll(closers);
    transport.stop();
    readBuffer.close();
    for (Thread t : workers) {
      t.interrupt();
    }
    joinAll(workers);
    for (ScheduledFuture<?> f : scheduled) {
      f.cancel(false);
    }
    if (scheduler != null && scheduler != injectedScheduler) {
      scheduler.shutdownNow();
    }
    readBuffer.clear();
    log.info("network {} stopped", transport.networkType());
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ---------------------------------------------------------------- sending

  @Override
  public void broadcast(Tag tag, byte[] data, boolean wait, Peer except) {
    if (stopped.get()) {
      throw new GossipException.Closed("network is stopped");
    }
    send(tag, data, wait, except);
  }

  @Override
  public void relay(Tag tag, byte[] data, boolean wait, Peer except) {
    if (config.relays()) {
      broadcast(tag, data, wait, except);
    }
  }

  /**
   * The one outbound path: {@link #broadcast}, {@link #relay} and a handler's {@code BROADCAST}
   * action all end here. By default the message goes to the {@link Broadcaster}; a transport's
   * network overrides it to route a tag elsewhere (P2P publishes {@code TX} on GossipSub).
   *
   * @throws GossipException.QueueFull if {@code wait} is false and the queue is full
   */
  protected void send(Tag tag, byte[] data, boolean wait, Peer except) {
    broadcaster.broadcast(tag, data, wait, except);
  }

  // ---------------------------------------------------------------- receiving

  boolean enqueueForHandlers(IncomingMessage msg, WsPeer peer) throws InterruptedException {
    if (stopped.get()) {
      return false;
    }
    readBuffer.put(new Delivery(msg, peer, clock.getAsLong()));
    return true;
  }

  private void handlerLoop() {
    while (!stopped.get()) {
      Delivery d;
      try {
        d = readBuffer.take();
      } catch (InterruptedException e) {
        return;
      }
      if (d == null) {
        return;
      }
      d.peer.messageTaken();
      long start = clock.getAsLong();
      metrics.readBufferWait.record(start - d.enqueuedNanos, TimeUnit.NANOSECONDS);
      try {
        handle(d.msg, d.peer);
      } catch (RuntimeException e) {
        log.warn("handler for {} from {} failed", d.msg.tag(), d.peer, e);
      }
      metrics.handle.record(clock.getAsLong() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void handle(IncomingMessage msg, WsPeer peer) {
    Tag tag = msg.tag();
    if (config.enableOutgoingMessageFiltering()
        && msg.data().length >= config.messageFilterSize()
        && !tag.equals(Tags.MS)
        && hasPeerOtherThan(peer)) {
      // Tell the other peers we have this one, so they do not send it to us too. With no other
      // peer there is nobody to tell, and the digest is not computed.
      byte[] digest = Digest.of(tag, msg.data()).toBytes();
      try {
        broadcaster.broadcast(Tags.MS, digest, false, peer);
      } catch (GossipException e) {
        log.debug("MS digest not sent: {}", e.getMessage());
      }
    }
    if (tag.equals(Tags.NI) && policy.identityMessages()) {
      verifyIdentity(msg, peer);
      return;
    }
    OutgoingMessage out = multiplexer.handle(msg);
    switch (out.action()) {
      case DISCONNECT -> peer.close(out.reason() == null ? DisconnectReason.BAD_DATA : out.reason());
      case BROADCAST -> {
        try {
          // In a hybrid node the owner is the hybrid: the message goes to every network of the
          // node, not only the one it came in on.
          if (owner != this) {
            owner.broadcast(tag, msg.data(), false, peer);
          } else {
            send(tag, msg.data(), false, peer);
          }
        } catch (GossipException e) {
          log.debug("re-broadcast of {} dropped: {}", tag, e.getMessage());
        }
      }
      case RESPOND -> peer.respond(msg, out);
      default -> {}
    }
  }

  private boolean hasPeerOtherThan(WsPeer peer) {
    for (WsPeer p : peers) {
      if (p != peer) {
        return true;
      }
    }
    return false;
  }

  private void verifyIdentity(IncomingMessage msg, WsPeer peer) {
    if (peer.identityVerified() || identity == null) {
      return;
    }
    HandshakeIdentity.Pending pending = peer.pendingIdentity();
    if (pending == null) {
      return;
    }
    try {
      identity.verifyVerificationMessage(msg.data(), pending);
    } catch (IdentityException e) {
      metrics.identityError.increment();
      log.info("peer {} sent bad identity verification: {}", peer, e.getMessage());
      peer.close(DisconnectReason.BAD_IDENTITY_DATA);
      return;
    }
    peer.markIdentityVerified(pending.peerPublicKey());
    claimIdentity(pending.peerPublicKey(), peer);
  }

  /**
   * Records that {@code candidate} is a connection to the node with this key. If another of our
   * connections already is, one of the two is closed with {@code DuplicateConnection}: the one
   * that was not dialed by the node with the smaller key. Both nodes apply the same rule, so two
   * nodes that dial each other at the same moment keep exactly one connection, the same one on
   * both sides, instead of each closing a different one and ending with none. Two connections in
   * the same direction (or one held by another network of a hybrid node) keep the first.
   *
   * @return whether {@code candidate} survives
   */
  private boolean claimIdentity(byte[] key, WsPeer candidate) {
    WsPeer loser;
    synchronized (identityLock) {
      if (identityTracker.setIdentity(key, candidate)) {
        return true;
      }
      WsPeer holder = null;
      for (WsPeer p : peers) {
        if (p != candidate && !p.isClosed() && Arrays.equals(p.identityKey(), key)) {
          holder = p;
          break;
        }
      }
      if (holder == null && identityTracker.holder(key) instanceof WsPeer other && other != candidate && !other.isClosed()) {
        holder = other; // held by the other network of a hybrid node
      }
      if (holder == null || !candidateWins(holder, candidate, key)) {
        loser = candidate;
      } else {
        identityTracker.removeIdentity(holder);
        identityTracker.setIdentity(key, candidate);
        loser = holder;
      }
    }
    metrics.identityDuplicate.increment();
    log.info("peer {} is a duplicate connection of the same node; closing {}", candidate, loser);
    if (loser != candidate) {
      loser.close(DisconnectReason.DUPLICATE_CONNECTION);
      return true;
    }
    if (peersContains(candidate)) {
      candidate.close(DisconnectReason.DUPLICATE_CONNECTION);
    }
    return false;
  }

  /**
   * Which of two connections to the same node stays, decided so that both nodes keep the same one:
   * of two dialed from opposite sides, the one dialed by the node with the smaller key (without a
   * key of our own, the incoming one: the remote has a key and keeps the one it dialed); of two dialed from the same side
   * over different networks (a hybrid node), the WebSocket one, which the hybrid mesh prefers; else
   * the first.
   */
  private boolean candidateWins(WsPeer holder, WsPeer candidate, byte[] key) {
    if (holder.outgoing() != candidate.outgoing()) {
      boolean preferOutgoing = selfKey != null && Arrays.compareUnsigned(selfKey, key) < 0;
      return candidate.outgoing() == preferOutgoing;
    }
    return !holder.networkType().equals(candidate.networkType()) && "ws".equals(candidate.networkType());
  }

  private boolean peersContains(WsPeer p) {
    for (WsPeer x : peers) {
      if (x == p) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- peers

  /**
   * Adds a handshaken connection as a peer and starts its loops. An incoming one is checked against
   * the incoming limits again, with the peers and the incoming connections being added at the same
   * time: the transports ask {@link TransportContext#admitIncoming} before their handshake, and
   * handshakes that run at once all pass that check.
   *
   * @return the peer, or null if it was refused (duplicate identity, incoming limit)
   */
  protected WsPeer addPeer(MessageConnection conn, PeerHandshake handshake) {
    if (stopped.get()) {
      conn.close(DisconnectReason.NODE_SHUTDOWN, config.shutdownAckTimeout());
      return null;
    }
    Admitted admitted = null;
    if (!conn.outgoing()) {
      String host = conn.remoteHost();
      TransportContext.Admission a;
      synchronized (peersLock) {
        a = incomingAdmission(host);
        if (a == TransportContext.Admission.OK) {
          admitted = new Admitted(host);
        }
      }
      if (admitted == null) {
        metrics.disconnected(DisconnectReason.INCOMING_LIMIT);
        log.info("event=ConnectFailed remote={} reason=IncomingLimit limit={}", conn.remoteAddress(), a);
        conn.close(DisconnectReason.INCOMING_LIMIT, config.disconnectAckTimeout());
        return null;
      }
    }
    try {
      return addAdmittedPeer(conn, handshake, admitted);
    } finally {
      if (admitted != null) {
        synchronized (peersLock) {
          admitted.release();
        }
      }
    }
  }

  /** A place taken for an incoming connection until it is added or refused; guarded by {@code peersLock}. */
  private final class Admitted {
    private final String host;
    private boolean released;

    Admitted(String host) {
      this.host = host;
      admitting++;
      admittingFrom.merge(host, 1, Integer::sum);
    }

    void release() {
      if (!released) {
        released = true;
        admitting--;
        admittingFrom.computeIfPresent(host, (h, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  /** The incoming limits for one more peer from {@code host}, counting those being added; call under {@code peersLock}. */
  private TransportContext.Admission incomingAdmission(String host) {
    if (count(false) + admitting >= config.incomingConnectionsLimit()) {
      return TransportContext.Admission.TOTAL_LIMIT;
    }
    if (countFrom(host) + admittingFrom.getOrDefault(host, 0) >= config.maxConnectionsPerIp()) {
      return TransportContext.Admission.PER_IP_LIMIT;
    }
    return TransportContext.Admission.OK;
  }

  private WsPeer addAdmittedPeer(MessageConnection conn, PeerHandshake handshake, Admitted admitted) {
    WsPeer peer = new WsPeer(this, conn, handshake);
    HandshakeIdentity id = handshake.identity();
    byte[] verificationToSend = null;
    byte[] provedKey = provedKey(id);
    if (provedKey != null) {
      peer.markIdentityVerified(provedKey);
      if (!claimIdentity(provedKey, peer)) {
        metrics.disconnected(DisconnectReason.DUPLICATE_CONNECTION);
        log.info("event=ConnectFailed remote={} reason=DuplicateConnection", conn.remoteAddress());
        conn.close(DisconnectReason.DUPLICATE_CONNECTION, config.disconnectAckTimeout());
        return null;
      }
      if (id instanceof HandshakeIdentity.Verified v) {
        verificationToSend = identity.verificationMessage(v.responseChallenge());
      }
    } else if (id instanceof HandshakeIdentity.Pending p) {
      peer.setPendingIdentity(p);
    }
    int count;
    synchronized (peersLock) {
      if (admitted != null) {
        admitted.release(); // the place becomes the peer's, in the same step
      }
      WsPeer[] old = peers;
      WsPeer[] next = Arrays.copyOf(old, old.length + 1);
      // Outgoing peers first: with a broadcast limit they are favoured, as in the seed's heap.
      if (conn.outgoing()) {
        System.arraycopy(old, 0, next, 1, old.length);
        next[0] = peer;
      } else {
        next[old.length] = peer;
      }
      peers = next;
      count = next.length;
    }
    peer.start();
    log.info("event={} remote={}", conn.outgoing() ? "ConnectedOut" : "ConnectedIn", conn.remoteAddress());
    if (verificationToSend != null) {
      peer.sendControl(Tags.NI, verificationToSend);
    }
    maybeSendMessagesOfInterest(peer);
    if (count >= config.gossipFanout()) {
      ready.complete(null);
    } else if (count == 1 && scheduler != null && !ready.isDone()) {
      scheduled.add(scheduler.schedule(() -> ready.complete(null), config.eventualReadyDelay().toMillis(), TimeUnit.MILLISECONDS));
    }
    if (peer.isClosed()) {
      removePeer(peer);
    }
    return peer;
  }

  /**
   * The key a handshake proved at once: the WS dialer's verified acceptor (when the challenge is
   * on), or a key the transport authenticated; null when none is proved yet.
   */
  private byte[] provedKey(HandshakeIdentity id) {
    if (id instanceof HandshakeIdentity.Verified v && identity != null) {
      return v.peerPublicKey();
    }
    if (id instanceof HandshakeIdentity.TransportAuthenticated t) {
      return t.peerPublicKey();
    }
    return null;
  }

  /** Called once by a peer when it closes. */
  void peerClosed(WsPeer peer, DisconnectReason reason) {
    removePeer(peer);
    identityTracker.removeIdentity(peer);
    metrics.disconnected(reason);
    log.info("event=Disconnected remote={} reason={}", peer.address(), reason);
  }

  private void removePeer(WsPeer peer) {
    synchronized (peersLock) {
      WsPeer[] old = peers;
      int i = Arrays.asList(old).indexOf(peer);
      if (i < 0) {
        return;
      }
      WsPeer[] next = new WsPeer[old.length - 1];
      System.arraycopy(old, 0, next, 0, i);
      System.arraycopy(old, i + 1, next, i, old.length - i - 1);
      peers = next;
    }
  }

  private int count(boolean outgoing) {
    int n = 0;
    for (WsPeer p : peers) {
      if (p.outgoing() == outgoing) {
        n++;
      }
    }
    return n;
  }

  private int countFrom(String host) {
    int n = 0;
    for (WsPeer p : peers) {
      if (!p.outgoing() && host.equals(p.connection().remoteHost())) {
        n++;
      }
    }
    return n;
  }

  /** The connected peers, outgoing first. */
  public List<WsPeer> connectedPeers() {
    return List.of(peers);
  }

  @Override
  public List<Peer> getPeers(PeerOption... options) {
    List<Peer> out = new ArrayList<>();
    for (PeerOption o : options) {
      switch (o) {
        case CONNECTED_OUT -> addPeers(out, true);
        case CONNECTED_IN -> addPeers(out, false);
        case TRANSPORT_CONNECTIONS_OUT -> addTransportConnections(out, true);
        case TRANSPORT_CONNECTIONS_IN -> addTransportConnections(out, false);
        case PHONEBOOK_RELAYS -> addPhonebookPeers(out, Role.RELAY);
        case PHONEBOOK_ARCHIVAL -> addPhonebookPeers(out, Role.ARCHIVAL);
        default -> throw new IllegalArgumentException("unknown option " + o);
      }
    }
    return out;
  }

  private void addPeers(List<Peer> out, boolean outgoing) {
    for (WsPeer p : peers) {
      if (p.outgoing() == outgoing) {
        out.add(p);
      }
    }
  }

  private void addTransportConnections(List<Peer> out, boolean outgoing) {
    Optional<List<Transport.ConnectionInfo>> held = transport.connections();
    if (held.isEmpty()) {
      addPeers(out, outgoing);
      return;
    }
    for (Transport.ConnectionInfo c : held.get()) {
      if (c.outgoing() == outgoing) {
        out.add(c);
      }
    }
  }

  private void addPhonebookPeers(List<Peer> out, Role role) {
    for (String a : phonebook.getAddresses(1000, role)) {
      out.add(new PhonebookPeer(a, this));
    }
  }

  @Override
  public void disconnect(Peer peer) {
    if (peer instanceof WsPeer p && p.network() == this) {
      p.closeAndWait(DisconnectReason.BAD_DATA, config.disconnectAckTimeout());
    }
  }

  @Override
  public void disconnectPeers() {
    List<Thread> closers = new ArrayList<>();
    for (WsPeer p : peers) {
      closers.add(Thread.ofVirtual().start(() -> p.closeAndWait(DisconnectReason.DISCONNECT_REQUEST, config.disconnectAckTimeout())));
    }
    joinAll(closers);
  }

  // ---------------------------------------------------------------- mesh

  @Override
  public void requestConnectOutgoing(boolean waitUntilProcessed) {
    CompletableFuture<Void> done = mesher.requestPass();
    if (waitUntilProcessed) {
      try {
        done.get(config.meshInterval().toMillis() + 60_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.debug("mesh pass failed: {}", e.toString());
      }
    }
  }

  /** The default mesh pass: dial random relay addresses until the target is met. */
  private int dialRelaysPass(int target) {
    int outgoing = count(true);
    long now = System.nanoTime();
    long staleNanos = config.meshInterval().toNanos() / 2;
    int need = target - outgoing - freshDials(now, staleNanos);
    if (need > 0 && !stopped.get()) {
      String self = transport.canonicalAddress(config.publicAddress());
      Set<String> connected = new LinkedHashSet<>();
      Set<String> connectedIdentities = new LinkedHashSet<>();
      for (WsPeer p : peers) {
        connected.add(transport.canonicalAddress(p.address()));
        if (p.identityKey() != null) {
          connectedIdentities.add(HexFormat.of().formatHex(p.identityKey()));
        }
      }
      for (String addr : phonebook.getAddresses(target + peers.length, Role.RELAY)) {
        if (need <= 0) {
          break;
        }
        String canonical = transport.canonicalAddress(addr);
        // An address may name a node that is already connected under another address (it dialed
        // us, and its incoming address is its IP) or over another network of this node: the
        // identity seen when we last dialed it, or the one the address names (a libp2p peer ID),
        // says so.
        String knownIdentity = dialedIdentities.get(canonical);
        if (knownIdentity == null) {
          knownIdentity = transport.identityOf(addr).map(HexFormat.of()::formatHex).orElse(null);
        }
        if (canonical.equals(self)
            || connected.contains(canonical)
            || (knownIdentity != null && (connectedIdentities.contains(knownIdentity) || heldByAnotherNetwork(knownIdentity)))
            || !startAttempt(canonical, now, staleNanos)) {
          continue;
        }
        need--;
        dial(addr, canonical, now);
      }
    }
    synchronized (dialing) {
      return count(true) + dialing.size();
    }
  }

  /** One dial attempt in flight, by when it started. */
  private record DialAttempt(long startedNanos) {}

  /** Addresses with an attempt younger than {@code staleNanos}: they count toward the target. */
  private int freshDials(long now, long staleNanos) {
    int fresh = 0;
    synchronized (dialing) {
      for (List<DialAttempt> attempts : dialing.values()) {
        if (attempts.stream().anyMatch(a -> now - a.startedNanos() < staleNanos)) {
          fresh++;
        }
      }
    }
    return fresh;
  }

  /**
   * Claims an attempt at {@code canonical}: refused while one of its attempts is younger than
   * {@code staleNanos} or {@value #MAX_DIAL_ATTEMPTS_PER_ADDRESS} are in flight.
   */
  private boolean startAttempt(String canonical, long now, long staleNanos) {
    synchronized (dialing) {
      List<DialAttempt> attempts = dialing.computeIfAbsent(canonical, k -> new ArrayList<>(MAX_DIAL_ATTEMPTS_PER_ADDRESS));
      if (attempts.size() >= MAX_DIAL_ATTEMPTS_PER_ADDRESS || attempts.stream().anyMatch(a -> now - a.startedNanos() < staleNanos)) {
        return false;
      }
      attempts.add(new DialAttempt(now));
      if (attempts.size() > 1) {
        metrics.redials.increment();
      }
      return true;
    }
  }

  /** Ends the attempt at {@code canonical} that started at {@code startedNanos}. */
  private void endAttempt(String canonical, long startedNanos) {
    synchronized (dialing) {
      List<DialAttempt> attempts = dialing.get(canonical);
      if (attempts != null) {
        attempts.removeIf(a -> a.startedNanos() == startedNanos);
        if (attempts.isEmpty()) {
          dialing.remove(canonical);
        }
      }
    }
  }

  private int dialingCount() {
    synchronized (dialing) {
      return dialing.size();
    }
  }

  /** Whether an outgoing peer to {@code canonical} is connected. */
  private boolean connectedOut(String canonical) {
    for (WsPeer p : peers) {
      if (p.outgoing() && !p.isClosed() && transport.canonicalAddress(p.address()).equals(canonical)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a live peer of another network of this node (a hybrid's other engine, through the
   * shared tracker) holds the identity {@code hexKey}: then dialing it again here would only make a
   * duplicate.
   */
  private boolean heldByAnotherNetwork(String hexKey) {
    return identityTracker.holder(HexFormat.of().parseHex(hexKey)) instanceof WsPeer p && p.network() != this && !p.isClosed();
  }

  private void dial(String addr, String canonical, long startedNanos) {
    dialer
        .dial(addr, () -> transport.dial(addr))
        .whenComplete(
            (est, err) -> {
              if (err != null) {
                endAttempt(canonical, startedNanos);
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause instanceof HandshakeException he) {
                  he.retryAfter().ifPresent(d -> phonebook.updateRetryAfter(addr, d));
                  log.info("event=ConnectFailed remote={} status={} reason={}", addr, he.status(), he.getMessage());
                } else {
                  log.info("event=ConnectFailed remote={} reason={}", addr, cause.toString());
                }
                return;
              }
              if (est.isRemoteOpened()) {
                endAttempt(canonical, startedNanos);
                log.debug("event=ConnectedAwaitingRemoteChannel remote={}", addr);
                return;
              }
              byte[] key = provedKey(est.handshake().identity());
              if (key != null) {
                dialedIdentities.put(canonical, HexFormat.of().formatHex(key));
              }
              // Under the attempts' lock: of two attempts at one address that both get through,
              // the later one finds the first connected and is closed as its duplicate.
              synchronized (dialing) {
                endAttempt(canonical, startedNanos);
                if (connectedOut(canonical)) {
                  metrics.disconnected(DisconnectReason.DUPLICATE_CONNECTION);
                  log.info("event=ConnectFailed remote={} reason=DuplicateConnection (an earlier attempt got through first)", addr);
                  est.connection().close(DisconnectReason.DUPLICATE_CONNECTION, config.disconnectAckTimeout());
                  return;
                }
                addPeer(est.connection(), est.handshake());
              }
            });
  }

  /** The address book of relays and archival nodes. */
  public Phonebook phonebook() {
    return phonebook;
  }

  // ---------------------------------------------------------------- message of interest

  /** Asks peers to send this tag too (starting from the default set). */
  public void registerMessageInterest(Tag tag) {
    updateInterest(tag, true);
  }

  /** Asks peers to stop sending this tag. */
  public void deregisterMessageInterest(Tag tag) {
    updateInterest(tag, false);
  }

  private void updateInterest(Tag tag, boolean add) {
    long before = interest.current().generation();
    LocalInterest.Announcement now = add ? interest.register(tag) : interest.deregister(tag);
    if (now.generation() == before) {
      return;
    }
    for (WsPeer p : peers) {
      maybeSendMessagesOfInterest(p);
    }
  }

  private void maybeSendMessagesOfInterest(WsPeer peer) {
    if (!policy.announceMessageOfInterest()) {
      return;
    }
    LocalInterest.Announcement a = interest.current();
    if (a.announced() && peer.interestGeneration() != a.generation()) {
      peer.sendMessageOfInterest(a.payloadFor(supportsStatefulVotes(peer)), a.generation());
    }
  }

  private static boolean supportsStatefulVotes(WsPeer peer) {
    for (String f : peer.handshake().features()) {
      if (f.startsWith(STATEFUL_VOTE_PACKING_PREFIX) && f.length() > STATEFUL_VOTE_PACKING_PREFIX.length()) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- handlers

  @Override
  public void registerHandlers(List<TaggedHandler> handlers) {
    multiplexer.registerHandlers(handlers);
  }

  @Override
  public void clearHandlers() {
    multiplexer.clearHandlers(Set.of());
  }

  @Override
  public void registerValidators(List<TaggedValidator> validators) {
    multiplexer.registerValidators(validators);
  }

  @Override
  public void clearValidators() {
    multiplexer.clearValidators();
  }

  /** The multiplexer, for transports that validate synchronously. */
  public Multiplexer multiplexer() {
    return multiplexer;
  }

  // ---------------------------------------------------------------- HTTP

  @Override
  public void registerHttpHandler(String path, HttpHandler handler) {
    registerHttpHandler(path, java.util.Set.of(), handler);
  }

  @Override
  public void registerHttpHandler(String path, java.util.Set<String> methods, HttpHandler handler) {
    if (transport.http() == null) {
      throw new UnsupportedOperationException("transport " + transport.networkType() + " serves no HTTP");
    }
    httpRouter.register(path.replace("{genesisID}", config.genesisId()), methods, handler);
  }

  /**
   * The router that this network's transport serves (shared with the other engines of a hybrid
   * node when the builder was given one).
   */
  @Override
  public HttpRouter httpRouter() {
    return httpRouter;
  }

  @Override
  public PeerHttpClient httpClient(String address) {
    HttpHosting http = transport.http();
    if (http == null) {
      throw new UnsupportedOperationException("transport " + transport.networkType() + " has no HTTP client");
    }
    return new RateLimitingHttpClient(http.client(address), phonebookKey(address), phonebook,
        RateLimitingHttpClient.DEFAULT_QUEUEING_TIMEOUT, io.gossipnet.core.phonebook.Delayer.system());
  }

  /**
   * The phonebook entry of the node at {@code address}: the address itself if listed, else the
   * entry the transport considers the same node ({@link Transport#canonicalAddress}; over P2P the
   * same peer ID at another multiaddr), else the address. The HTTP rate limit is kept per entry,
   * so it is per peer ID over P2P whatever address a caller uses.
   */
  private String phonebookKey(String address) {
    if (phonebook.contains(address)) {
      return address;
    }
    String canonical = transport.canonicalAddress(address);
    return phonebook.find(a -> transport.canonicalAddress(a).equals(canonical)).orElse(address);
  }

  // ---------------------------------------------------------------- misc

  @Override
  public void onNetworkAdvance() {
    lastNetworkAdvanceNanos = clock.getAsLong();
  }

  @Override
  public String genesisId() {
    return config.genesisId();
  }

  @Override
  public Optional<String> address() {
    return transport.listenAddress();
  }

  @Override
  public CompletionStage<Void> ready() {
    return ready;
  }

  /** The settings. */
  public NetworkConfig config() {
    return config;
  }

  /** The meters. */
  public NetworkMetrics metrics() {
    return metrics;
  }

  /** The transport's network type. */
  public String networkType() {
    return transport.networkType();
  }

  /**
   * The incoming duplicate filter (shared by the engines of a hybrid node), or null when off: a
   * transport's network that delivers messages outside the read loops (P2P's GossipSub TX) records
   * them here too, so a message arriving over both networks is handled once.
   */
  protected IncomingDuplicateFilter incomingFilter() {
    return incomingFilter;
  }

  PayloadLimit payloadLimit() {
    return payloadLimit;
  }

  /**
   * A readable snapshot of the node for whoever debugs it: settings that matter, every peer with its
   * direction, age, queue depth and identity, and the shared buffers.
   */
  public String dump() {
    StringBuilder sb = new StringBuilder();
    sb.append("network ").append(transport.networkType())
        .append(" genesis=").append(config.genesisId())
        .append(" address=").append(address().orElse("(not listening)"))
        .append(" relays=").append(config.relays())
        .append(" fanout=").append(config.gossipFanout())
        .append('\n');
    sb.append("  read buffer ").append(readBuffer.size()).append('/').append(config.effectiveReadBufferSize())
        .append(", dialing ").append(dialingCount())
        .append(", phonebook ").append(phonebook.size()).append(" entries")
        .append(", interest generation ").append(interest.current().generation())
        .append('\n');
    WsPeer[] all = peers;
    sb.append("  peers ").append(all.length).append('\n');
    for (WsPeer p : all) {
      sb.append("    ").append(p.outgoing() ? "out " : "in  ").append(p.address())
          .append(" age=").append(p.age().toSeconds()).append("s")
          .append(" queued=").append(p.queuedMessages())
          .append(" identity=").append(p.identityVerified() ? "verified" : "none")
          .append('\n');
    }
    return sb.toString();
  }

  private void checkLiveness() {
    if (!policy.livenessChecks()) {
      return;
    }
    long now = clock.getAsLong();
    for (WsPeer p : peers) {
      try {
        p.checkLiveness(now);
      } catch (RuntimeException e) {
        log.warn("liveness check of {} failed", p, e);
      }
    }
  }

  /** What the transport sees of the engine. */
  private final class Context implements TransportContext {
    @Override
    public NetworkConfig config() {
      return config;
    }

    @Override
    public byte[] nodeRandom() {
      return nodeRandom.clone();
    }

    @Override
    public IdentityChallengeScheme identity() {
      return identity;
    }

    @Override
    public MeterRegistry meters() {
      return metrics.registry();
    }

    @Override
    public Admission admitIncoming(String remoteHost) {
      if (!config.enableGossipService()) {
        return Admission.GOSSIP_DISABLED;
      }
      synchronized (peersLock) {
        return incomingAdmission(remoteHost);
      }
    }

    @Override
    public void acceptIncoming(MessageConnection connection, PeerHandshake handshake) {
      addPeer(connection, handshake);
    }

    @Override
    public boolean closePeer(MessageConnection connection, DisconnectReason reason) {
      for (WsPeer p : peers) {
        if (p.connection() == connection) {
          p.close(reason);
          return true;
        }
      }
      return false;
    }
  }

  /** A phonebook address as an HTTP-only peer. */
  private record PhonebookPeer(String address, NetworkEngine net) implements HttpPeer {
    @Override
    public PeerHttpClient httpClient() {
      return net.httpClient(address);
    }
  }

  /**
   * The pieces of a network. Each piece not set is made by a {@code protected create*()} hook
   * when the network is built, never by an overridable call from a constructor, so a transport's
   * builder can subclass this one and change a default. The defaults: a fresh meter registry, no
   * identity challenge, a no-op identity tracker, the config's incoming duplicate filter (if it
   * enables one), a fresh multiplexer, the config's phonebook, the engine's own mesh pass on a
   * fixed-rate mesher, {@link System#nanoTime()}, a scheduler the engine owns and an HTTP router with
   * the transport's body limit.
   */
  public static class Builder {
    private final NetworkConfig config;
    private final Transport transport;
    private MeterRegistry registry;
    private IdentityChallengeScheme identity;
    private IdentityTracker identityTracker;
    private Optional<IncomingDuplicateFilter> incomingFilter;
    private GossipNode owner;
    private byte[] selfKey;
    private Multiplexer multiplexer;
    private Phonebook phonebook;
    private MeshStrategy meshStrategy;
    private JitterBackoff meshBackoff;
    private LongSupplier clock;
    private ScheduledExecutorService scheduler;
    private HttpRouter httpRouter;
    private boolean resolved;

    /**
     * Starts a builder; a transport's own builder subclasses it.
     *
     * @param config the settings
     * @param transport the transport
     */
    protected Builder(NetworkConfig config, Transport transport) {
      this.config = java.util.Objects.requireNonNull(config, "config");
      this.transport = java.util.Objects.requireNonNull(transport, "transport");
    }

    /** The settings this builder was made with. */
    protected final NetworkConfig config() {
      return config;
    }

    /** Where the meters go (tagged {@code network=<transport type>}). */
    public Builder meterRegistry(MeterRegistry r) {
      this.registry = r;
      return this;
    }

    /** The WS-style identity challenge, or null to run without it. */
    public Builder identity(IdentityChallengeScheme scheme) {
      this.identity = scheme;
      return this;
    }

    /** The tracker of connected identities; share one between the engines of a hybrid node. */
    public Builder identityTracker(IdentityTracker tracker) {
      this.identityTracker = tracker;
      return this;
    }

    /**
     * The incoming duplicate filter; share one between the engines of a hybrid node so a message
     * arriving over both is delivered once. Used even when the config's own filter is off.
     */
    public Builder incomingFilter(IncomingDuplicateFilter filter) {
      this.incomingFilter = filter == null ? null : Optional.of(filter);
      return this;
    }

    /**
     * The node handlers see as {@code msg.network()} (the hybrid that holds this engine). A
     * handler's {@code BROADCAST} action then goes through the owner's {@link
     * GossipNode#broadcast}, so it reaches every network of the node.
     */
    public Builder owner(GossipNode node) {
      this.owner = node;
      return this;
    }

    /**
     * This node's own Ed25519 public key, for the duplicate-connection tie-break, when it is not
     * the identity scheme's (a P2P node: the key inside its peer ID).
     */
    public Builder selfKey(byte[] key) {
      this.selfKey = key == null ? null : key.clone();
      return this;
    }

    /** The tag-to-handler table. */
    public Builder multiplexer(Multiplexer m) {
      this.multiplexer = m;
      return this;
    }

    /** The phonebook (relay and archival addresses, connection rate limits). */
    public Builder phonebook(Phonebook p) {
      this.phonebook = p;
      return this;
    }

    /** One mesh pass; by default the engine's {@link NetworkEngine#meshPass(int)}. */
    public Builder meshStrategy(MeshStrategy strategy) {
      this.meshStrategy = strategy;
      return this;
    }

    /**
     * The backoff of the mesher while passes find no connection (the seed's P2P mesher uses
     * {@link JitterBackoff#meshDefault()}), or null for passes at a fixed rate (the WS mesher).
     */
    public Builder meshBackoff(JitterBackoff backoff) {
      this.meshBackoff = backoff;
      return this;
    }

    /**
     * The clock, in nanoseconds (only differences matter): liveness checks, queue ages and the
     * phonebook's rate limits read it.
     */
    public Builder clock(LongSupplier nanoClock) {
      this.clock = nanoClock;
      return this;
    }

    /**
     * The scheduler for the engine's timers (liveness checks, dial backoff, eventual readiness).
     * An injected scheduler is not shut down by {@link NetworkEngine#stop()}; the engine cancels
     * its own tasks on it.
     */
    public Builder scheduler(ScheduledExecutorService s) {
      this.scheduler = s;
      return this;
    }

    /**
     * The HTTP router the transport serves; share one between the engines of a hybrid node so a
     * handler registered once is served over both.
     */
    public Builder httpRouter(HttpRouter router) {
      this.httpRouter = router;
      return this;
    }

    /** Hook: the meter registry when none was set. */
    protected MeterRegistry createMeterRegistry() {
      return new SimpleMeterRegistry();
    }

    /** Hook: the identity tracker when none was set. */
    protected IdentityTracker createIdentityTracker() {
      return IdentityTracker.noop();
    }

    /** Hook: the incoming duplicate filter when none was set; null for none. */
    protected IncomingDuplicateFilter createIncomingFilter() {
      return config.enableIncomingMessageFilter()
          ? new IncomingDuplicateFilter(config.incomingFilterBuckets(), config.incomingFilterBucketSize())
          : null;
    }

    /** Hook: the multiplexer when none was set. */
    protected Multiplexer createMultiplexer() {
      return new Multiplexer();
    }

    /** Hook: the clock when none was set. */
    protected LongSupplier createClock() {
      return System::nanoTime;
    }

    /** Hook: the phonebook when none was set, on {@code clock}. */
    protected Phonebook createPhonebook(LongSupplier clock) {
      return defaultPhonebook(config, clock);
    }

    /** Hook: the HTTP router when none was set, with the transport's body limit. */
    protected HttpRouter createHttpRouter() {
      HttpHosting http = transport.http();
      return new HttpRouter(http == null ? HttpRouter.DEFAULT_MAX_REQUEST_BODY_BYTES : http.maxRequestBodyBytes());
    }

    /** Fills every piece not set from its hook; idempotent. */
    final void resolve() {
      if (resolved) {
        return;
      }
      resolved = true;
      if (registry == null) {
        registry = createMeterRegistry();
      }
      if (identityTracker == null) {
        identityTracker = createIdentityTracker();
      }
      if (incomingFilter == null) {
        incomingFilter = Optional.ofNullable(createIncomingFilter());
      }
      if (multiplexer == null) {
        multiplexer = createMultiplexer();
      }
      if (clock == null) {
        clock = createClock();
      }
      if (phonebook == null) {
        phonebook = createPhonebook(clock);
      }
      if (httpRouter == null) {
        httpRouter = createHttpRouter();
      }
    }

    /** Builds the network (not started). */
    public NetworkEngine build() {
      resolve();
      return new NetworkEngine(this);
    }
  }
}
