package io.gossipnet.hybrid;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.TaggedValidator;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.Multiplexer;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.engine.WsPeer;
import io.gossipnet.core.filter.IncomingDuplicateFilter;
import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.mesh.Mesher;
import io.gossipnet.core.mesh.NoopMeshStrategy;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.ws.WsAddresses;
import io.gossipnet.ws.WsNetwork;
import io.gossipnet.ws.WsTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node on the WebSocket and the libp2p networks at once (the seed's {@code
 * HybridP2PNetwork}, inventory 9): a {@link WsNetwork} and a {@link P2PNetwork} that share
 *
 * <ul>
 *   <li>one {@link IdentityTracker}, and one identity: the WS identity challenge signs with the
 *       libp2p key (dedup names: the public address and the peer ID), so a node reached over both
 *       transports ends with one connection, the later one closed as in the seed (WS outgoing
 *       closed by the handshake's proof, WS incoming by the {@code NI} check, a P2P stream
 *       refused);
 *   <li>one incoming duplicate filter, so a message arriving over both is handled once;
 *   <li>one {@link Multiplexer} (handlers and validators are registered once and serve both) and
 *       one {@link HttpRouter} (an HTTP handler registered once is served on the Jetty server and
 *       over libp2p HTTP with the same paths);
 *   <li>one meter registry (meters are tagged {@code network=ws} and {@code network=p2p}).
 * </ul>
 *
 * <p>Every {@link GossipNode} method is dispatched as the seed does: {@link #broadcast} and {@link
 * #relay} go to both networks (TX over GossipSub on the P2P side; with {@code wait} in parallel);
 * handlers see this node as {@code msg.network()}, and a handler's {@code BROADCAST} action reaches
 * both networks; {@link #getPeers} lists P2P then WS peers for each option asked; {@link
 * #disconnect} and {@link #httpClient} are routed by the peer's network (a multiaddr is a P2P
 * address); {@link #address()} is the WS one. A TX accepted on GossipSub is relayed to the WS peers
 * (the seed's {@code BridgeP2PToWS}), and a TX a handler relays through this node reaches both.
 * Errors of the two networks are combined: the first thrown, the other {@linkplain
 * Throwable#addSuppressed suppressed}.
 *
 * <p>Mesh ({@link HybridConfig.MeshMode}): a listening node runs one mesher for both (WS first
 * toward the fanout, P2P fills the rest and always runs its DHT refresh); a client runs both
 * networks' own meshes. {@link #start()} starts both networks (in parallel), then the hybrid
 * mesher; {@link #stop()} stops the mesher, then both networks.
 *
 * <pre>{@code
 * HybridNetwork node = new HybridNetwork(HybridConfig.builder(NetworkConfig.builder("mainnet")
 *         .listenAddress("0.0.0.0:4160").publicAddress("http://relay1.example:4160")
 *         .relayPeers(List.of("relay2.example:4160", "/dns4/relay3.example/tcp/4190/p2p/12D3Koo..."))
 *         .build())
 *     .p2pListenAddress("0.0.0.0:4190")
 *     .p2p(P2PConfig.builder().privateKey(PeerKeyFile.obtain(null, dataDir, true)).build())
 *     .build());
 * node.start();
 * }</pre>
 */
public class HybridNetwork implements GossipNode, io.gossipnet.core.http.RoutedNode {
  private static final Logger log = LoggerFactory.getLogger(HybridNetwork.class);
  /** How often {@link #ready()} checks the peer count of both networks. */
  private static final long READY_POLL_MILLIS = 25;

  private final HybridConfig config;
  private final WsNetwork ws;
  private final P2PNetwork p2p;
  private final Mesher mesher;
  /** The WS identity challenge, or null when the config turns it off. */
  private final Ed25519IdentityChallengeScheme wsIdentity;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  /** The P2P connections after the previous hybrid pass; -1 before the first (the seed's prevP2PConnections). */
  private int previousP2pConnections = -1;

  /** A node with its own meter registry and identity tracker. */
  public HybridNetwork(HybridConfig config) {
    this(config, new SimpleMeterRegistry(), IdentityTracker.create());
  }

  /**
   * A node whose meters go to {@code registry} and whose connected identities are kept in {@code
   * tracker}.
   *
   * @param config the validated settings
   * @param registry where the meters of both networks go
   * @param tracker the tracker both networks claim identities in
   * @throws IllegalArgumentException if the settings fail {@link HybridConfig#validate()}
   */
  public HybridNetwork(HybridConfig config, MeterRegistry registry, IdentityTracker tracker) {
    this.config = config.validate();
    NetworkConfig wsConfig = config.wsNetworkConfig();
    NetworkConfig p2pConfig = config.p2pNetworkConfig();
    if (!config.ignoredPeers().isEmpty()) {
      log.warn("relay peers without a /p2p/<peer id> part are dialed by neither network: {}", config.ignoredPeers());
    }
    WsTransport wsTransport = new WsTransport(config.ws());
    HttpRouter router = new HttpRouter(wsTransport.http().maxRequestBodyBytes());
    Multiplexer multiplexer = new Multiplexer();
    NetworkConfig n = config.network();
    IncomingDuplicateFilter filter =
        n.enableIncomingMessageFilter() ? new IncomingDuplicateFilter(n.incomingFilterBuckets(), n.incomingFilterBucketSize()) : null;
    boolean oneMesher = config.hybridRelayMesh();

    NetworkEngine.Builder p = P2PNetwork.builder(p2pConfig, config.p2p())
        .meterRegistry(registry)
        .identityTracker(tracker)
        .incomingFilter(filter)
        .multiplexer(multiplexer)
        .httpRouter(router)
        .owner(this);
    if (oneMesher) {
      p.meshStrategy(NoopMeshStrategy.INSTANCE).meshBackoff(null);
    }
    this.p2p = new P2PNetwork(p);

    IdentitySigner signer = p2p.identitySigner();
    this.wsIdentity = identity(n, signer, p2p.peerId().toBase58());
    NetworkEngine.Builder w = NetworkEngine.builder(wsConfig, wsTransport)
        .meterRegistry(registry)
        .identity(wsIdentity)
        .identityTracker(tracker)
        .incomingFilter(filter)
        .multiplexer(multiplexer)
        .httpRouter(router)
        .selfKey(signer.publicKey())
        .owner(this);
    if (oneMesher) {
      w.meshStrategy(NoopMeshStrategy.INSTANCE);
    }
    this.ws = new WsNetwork(w);

    p2p.onTxAccepted((data, sender) -> bridgeToWs(data));
    this.mesher = oneMesher ? new Mesher(this::meshPass, n.gossipFanout(), n.meshInterval(), (io.gossipnet.core.mesh.JitterBackoff) null) : null;
  }

  /**
   * The WS identity challenge of a hybrid node: signed with the libp2p key, the dedup names being
   * the public address (when set) and the peer ID; null when the config disables the challenge.
   */
  static Ed25519IdentityChallengeScheme identity(NetworkConfig config, IdentitySigner signer, String peerId) {
    if (!config.enableIdentityChallenge()) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    if (!config.publicAddress().isEmpty()) {
      names.add(WsAddresses.canonical(config.publicAddress()));
    }
    names.add(peerId);
    return new Ed25519IdentityChallengeScheme(signer, names);
  }

  private void bridgeToWs(byte[] data) {
    if (stopped.get()) {
      return;
    }
    try {
      ws.relay(Tags.TX, data, false, null);
    } catch (GossipException e) {
      log.debug("TX from P2P not bridged to WS: {}", e.getMessage());
    }
  }

  /**
   * One pass of the hybrid relay mesh (the seed's {@code hybridRelayMeshCreator}): WS toward the
   * fanout (less the P2P connections of the previous pass, after the first), then P2P toward what
   * WS left; the P2P pass runs even with nothing to dial, to refresh its peers from the DHT.
   */
  private int meshPass(int target) {
    int wsTarget = target;
    if (previousP2pConnections != -1 && target > previousP2pConnections) {
      wsTarget = target - previousP2pConnections;
    }
    int wsConnections = ws.meshPassNow(wsTarget);
    int p2pTarget = wsConnections < target ? target - wsConnections : 0;
    int p2pConnections = p2p.meshPassNow(p2pTarget);
    log.debug("hybrid mesh pass: WS {} (target {}), P2P {} (target {}, previous {}), fanout {}",
        wsConnections, wsTarget, p2pConnections, p2pTarget, previousP2pConnections, target);
    previousP2pConnections = p2pConnections;
    return wsConnections + p2pConnections;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Starts both networks in parallel, then the hybrid mesher. If either fails to start, both are
   * stopped and the failure is thrown (the other's, if any, suppressed).
   */
  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    try {
      both(true, GossipNode::start);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    ws.ready().thenRun(() -> ready.complete(null));
    p2p.ready().thenRun(() -> ready.complete(null));
    Thread.ofVirtual().name("gossipnet-hybrid-ready").start(this::watchReady);
    if (mesher != null) {
      mesher.start();
      mesher.requestPass();
    }
    log.info("hybrid network started: WS {}, P2P {}, mesh {}", ws.address().orElse("(not listening)"),
        p2p.address().orElse("(not listening)"), mesher != null ? "hybrid relay" : "per network");
  }

  /** Completes {@link #ready()} once both networks together have as many distinct peers as the fanout. */
  private void watchReady() {
    int fanout = config.network().gossipFanout();
    while (!ready.isDone() && !stopped.get()) {
      if (distinctPeers(connectedPeers()) >= fanout) {
        ready.complete(null);
        return;
      }
      try {
        Thread.sleep(READY_POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * The nodes this one is connected to: peers with a proved identity counted once per key (a node
   * reached over both networks, before one connection is closed as a duplicate, is one), peers
   * whose identity is still being proved not at all, and peers of a network without identities
   * one each.
   */
  private int distinctPeers(List<WsPeer> peers) {
    Set<String> keys = new java.util.HashSet<>();
    int anonymous = 0;
    for (WsPeer peer : peers) {
      byte[] key = peer.identityKey();
      if (key != null) {
        keys.add(java.util.HexFormat.of().formatHex(key));
      } else if (peer.network() == ws && wsIdentity == null) {
        anonymous++;
      }
    }
    return keys.size() + anonymous;
  }

  /**
   * Whether every connection's node is known and none is connected twice: each peer's identity is
   * proved (on a network that runs identities) and no key is held by two peers. A node reached
   * over both networks is not settled until one of the two connections is closed.
   */
  public boolean settled() {
    List<WsPeer> all = connectedPeers();
    return distinctPeers(all) == all.size();
  }

  /** Stops the hybrid mesher, then both networks in parallel. Idempotent. */
  @Override
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (mesher != null) {
      mesher.stop();
    }
    both(true, GossipNode::stop);
    log.info("hybrid network stopped");
  }

  /**
   * Runs {@code call} on both networks: P2P on a virtual thread and WS on the caller's when
   * {@code parallel}, else one after the other; a failure of one does not keep the call from
   * the other. Throws the first failure with the second suppressed.
   */
  private void both(boolean parallel, Consumer<GossipNode> call) {
    RuntimeException[] failures = new RuntimeException[2];
    Thread other = null;
    if (parallel) {
      other = Thread.ofVirtual().name("gossipnet-hybrid-p2p").start(() -> failures[0] = attempt(call, p2p));
    } else {
      failures[0] = attempt(call, p2p);
    }
    failures[1] = attempt(call, ws);
    if (other != null) {
      try {
        other.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GossipException("interrupted while waiting for the P2P network", e);
      }
    }
    RuntimeException first = failures[0] != null ? failures[0] : failures[1];
    if (first == null) {
      return;
    }
    if (failures[0] != null && failures[1] != null) {
      first.addSuppressed(failures[1]);
    }
    throw first;
  }

  private static RuntimeException attempt(Consumer<GossipNode> call, GossipNode net) {
    try {
      call.accept(net);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  // ---------------------------------------------------------------- sending

  /**
   * Broadcasts on both networks (TX over GossipSub on the P2P side); with {@code wait}, in
   * parallel, returning once the message is queued to every peer of both (a network with no peer
   * is not waited on). A full queue on one network does not keep the message from the other; the
   * {@link GossipException.QueueFull} is thrown after both were tried, unless the network whose
   * queue was full has no peer: its broadcaster holds messages while it has none (until one comes
   * or they are stale), so its queue fills on a node that gossips over the other network only, and
   * the message is lost for nobody (the seed returns that network's error too; the engine counts
   * it, {@code gossipnet.broadcast.queue.full}).
   */
  @Override
  public void broadcast(Tag tag, byte[] data, boolean wait, Peer except) {
    if (stopped.get()) {
      throw new GossipException.Closed("network is stopped");
    }
    sendOnBoth(wait, net -> net.broadcast(tag, data, waitOn(net, wait), except));
  }

  /** {@link #broadcast} on both networks, on nodes that relay (each network decides as its config says). */
  @Override
  public void relay(Tag tag, byte[] data, boolean wait, Peer except) {
    if (stopped.get()) {
      throw new GossipException.Closed("network is stopped");
    }
    sendOnBoth(wait, net -> net.relay(tag, data, waitOn(net, wait), except));
  }

  /**
   * {@link #both} for a send: a full queue on a network without peers is forgiven when the other
   * network has peers and took the message.
   */
  private void sendOnBoth(boolean parallel, Consumer<GossipNode> send) {
    GossipException.QueueFull[] held = new GossipException.QueueFull[2]; // p2p, ws
    both(parallel, net -> {
      try {
        send.accept(net);
      } catch (GossipException.QueueFull e) {
        if (!((NetworkEngine) net).connectedPeers().isEmpty()) {
          throw e;
        }
        held[net == p2p ? 0 : 1] = e; // decided once both were tried
      }
    });
    if (held[0] != null && (held[1] != null || ws.connectedPeers().isEmpty())) {
      throw held[0];
    }
    if (held[1] != null && p2p.connectedPeers().isEmpty()) {
      throw held[1];
    }
  }

  /**
   * Whether to wait on {@code net}: not when it has no peer. A network's broadcaster holds a
   * message while it has no peers (until one connects or the message is stale, 25 s), so waiting
   * there would hold the caller although nobody is there to hand the message to; the message is
   * queued all the same.
   */
  private static boolean waitOn(GossipNode net, boolean wait) {
    return wait && !((NetworkEngine) net).connectedPeers().isEmpty();
  }

  // ---------------------------------------------------------------- peers

  /** Closes the peer on the network that holds it; a peer of neither network is ignored. */
  @Override
  public void disconnect(Peer peer) {
    NetworkEngine net = networkOf(peer);
    if (net != null) {
      net.disconnect(peer);
    } else {
      log.debug("disconnect of {}: not a peer of this node", peer);
    }
  }

  private NetworkEngine networkOf(Peer peer) {
    if (peer instanceof WsPeer wp) {
      if (wp.network() == ws) {
        return ws;
      }
      if (wp.network() == p2p) {
        return p2p;
      }
    }
    return null;
  }

  @Override
  public void disconnectPeers() {
    both(true, GossipNode::disconnectPeers);
  }

  /** For each option in turn, the P2P peers then the WS peers (the seed's order); no dedup. */
  @Override
  public List<Peer> getPeers(PeerOption... options) {
    List<Peer> out = new ArrayList<>();
    for (PeerOption o : options) {
      out.addAll(p2p.getPeers(o));
      out.addAll(ws.getPeers(o));
    }
    return out;
  }

  /**
   * Runs a hybrid mesh pass (or, on a client, both networks' passes in parallel); with {@code
   * waitUntilProcessed}, returns after it ran.
   */
  @Override
  public void requestConnectOutgoing(boolean waitUntilProcessed) {
    if (mesher == null) {
      both(waitUntilProcessed, net -> net.requestConnectOutgoing(waitUntilProcessed));
      return;
    }
    CompletableFuture<Void> done = mesher.requestPass();
    if (waitUntilProcessed) {
      try {
        done.get(config.network().meshInterval().toMillis() + 60_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.debug("hybrid mesh pass failed: {}", e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- handlers and HTTP

  /** Registers the handlers once: both networks dispatch through one multiplexer. */
  @Override
  public void registerHandlers(List<TaggedHandler> handlers) {
    ws.registerHandlers(handlers);
  }

  @Override
  public void clearHandlers() {
    ws.clearHandlers();
  }

  /** Registers the validators once (the P2P side runs them before GossipSub forwards). */
  @Override
  public void registerValidators(List<TaggedValidator> validators) {
    ws.registerValidators(validators);
  }

  @Override
  public void clearValidators() {
    ws.clearValidators();
  }

  /** Registers the handler once: it is served on the WS server and over libp2p HTTP. */
  @Override
  public void registerHttpHandler(String path, HttpHandler handler) {
    ws.registerHttpHandler(path, handler);
  }

  @Override
  public void registerHttpHandler(String path, Set<String> methods, HttpHandler handler) {
    ws.registerHttpHandler(path, methods, handler);
  }

  /** The one router both networks serve. */
  @Override
  public HttpRouter httpRouter() {
    return ws.httpRouter();
  }

  /** A client over libp2p HTTP when {@code address} is a multiaddr, else over the WS side's Jetty client. */
  @Override
  public PeerHttpClient httpClient(String address) {
    return HybridConfig.isMultiaddr(address) ? p2p.httpClient(address) : ws.httpClient(address);
  }

  // ---------------------------------------------------------------- misc

  @Override
  public void onNetworkAdvance() {
    ws.onNetworkAdvance();
    p2p.onNetworkAdvance();
  }

  @Override
  public String genesisId() {
    return ws.genesisId();
  }

  /** The WS address (the seed's {@code Address()}); {@link #p2pAddress()} is the other. */
  @Override
  public Optional<String> address() {
    return ws.address();
  }

  /** The P2P listen multiaddr with the peer ID, if listening. */
  public Optional<String> p2pAddress() {
    return p2p.address();
  }

  /**
   * Completes when the two networks together have as many peers as the fanout (a node connected
   * over both counted once), or when either network alone is ready (its fanout, or its
   * eventual-ready delay after its first peer).
   */
  @Override
  public CompletionStage<Void> ready() {
    return ready;
  }

  /** The WebSocket network. */
  public WsNetwork ws() {
    return ws;
  }

  /** The libp2p network. */
  public P2PNetwork p2p() {
    return p2p;
  }

  /** The settings. */
  public HybridConfig config() {
    return config;
  }

  /** The peers of both networks, P2P then WS. */
  public List<WsPeer> connectedPeers() {
    List<WsPeer> out = new ArrayList<>(p2p.connectedPeers());
    out.addAll(ws.connectedPeers());
    return out;
  }

  /** Both networks' {@link NetworkEngine#dump()}. */
  public String dump() {
    return "hybrid mesh=" + (mesher != null ? "hybrid-relay" : "per-network") + '\n' + ws.dump() + p2p.dump();
  }
}
