package io.gossipnet.p2p;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.core.spi.Transport;
import io.gossipnet.core.spi.TransportContext;
import io.gossipnet.core.spi.TransportPolicy;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.KeyType;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PublicKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.host.HostConfig;
import io.gossipnet.libp2p.http.HttpServer;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's transport over a libp2p host, as the seed's P2P network makes it (inventory 7.1-7.3):
 * TCP, Noise, Yamux, Identify and Ping with connection limits derived from the fanout; one gossip
 * stream per peer under {@value #GOSSIP_V22} (preferred) or {@value #GOSSIP_V1}, opened only by
 * the peer whose ID sorts lower (raw bytes); the start-of-stream exchange ({@link
 * MetadataExchange}) in which the side that dialed the <em>connection</em> writes first; then
 * length-prefixed messages ({@link MessageFrames}) carried by the engine's read and write loops.
 * The peer's identity is the Ed25519 key inside its peer ID ({@link
 * HandshakeIdentity.TransportAuthenticated}); no identity challenge runs.
 *
 * <p>Streams are refused, with a reason logged and counted in {@code
 * gossipnet.p2p.streams.refused{reason}}, when gossip is disabled on an inbound connection, when
 * they come on an outbound connection we did not dial for the mesh, when the peer that sorts
 * higher opens one, when the incoming admission refuses the peer ({@code total_limit}, {@code
 * per_ip_limit}: the connection is closed too), when the start-of-stream exchange fails or does not
 * finish within {@link P2PConfig#streamTimeout()} ({@code exchange_timeout}), or when the peer opens
 * another gossip stream while one is still in its exchange ({@code superseded}: the older one is
 * reset, as a newer stream replaces an established one).
 *
 * <p>The host's limit counters ({@link Host#LIMIT_COUNTERS}) are the meter {@code
 * gossipnet.p2p.host.limits{limit}}, and HTTP requests refused because their connection had too
 * many in progress are {@code gossipnet.p2p.http.refused{reason=concurrency}}.
 */
public final class P2PTransport implements Transport {
  /** The V22 gossip stream protocol. */
  public static final String GOSSIP_V22 = "/algorand-ws/2.2.0";
  /** The V1 gossip stream protocol. */
  public static final String GOSSIP_V1 = "/algorand-ws/1.0.0";
  /** The gossip protocols in preference order. */
  public static final List<String> GOSSIP_PROTOCOLS = List.of(GOSSIP_V22, GOSSIP_V1);
  /** The connection manager tag of the connections the mesh dialed (the seed's). */
  public static final String MESH_TAG = "algorand-ws-mesh";
  /** The protocol ID under which the node's HTTP handlers are served. */
  public static final String HTTP_PROTOCOL_ID = "/algorand-http/1.0.0";

  private static final Logger log = LoggerFactory.getLogger(P2PTransport.class);

  private final P2PConfig p2p;
  private final PeerId self;
  private final P2PHttpHosting http;
  /** The live gossip stream of each peer. */
  private final Map<PeerId, P2PStreamConnection> streams = new ConcurrentHashMap<>();
  /**
   * Open connections whose gossip stream ended while they stayed open (see {@link
   * P2PStreamConnection}): the peer opens a stream only when a connection is made, so the mesh
   * dials such a peer afresh.
   */
  private final java.util.Set<Connection> streamEnded = ConcurrentHashMap.newKeySet();
  /** The gossip stream each peer has in its start-of-stream exchange: a newer one supersedes it. */
  private final Map<PeerId, Stream> exchanging = new ConcurrentHashMap<>();
  /** Streams reset because a newer one of their peer arrived during their exchange. */
  private final java.util.Set<Stream> superseded = ConcurrentHashMap.newKeySet();
  private volatile TransportContext context;
  private volatile Host host;
  private volatile MetadataExchange.Local local;
  private volatile P2PConnectionLimits limits;
  private final List<java.util.function.Consumer<Host>> hostHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<Host>> startedHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A transport with these P2P settings. */
  public P2PTransport(P2PConfig p2p) {
    this.p2p = p2p;
    this.self = p2p.privateKey().publicKey().toPeerId();
    this.http = new P2PHttpHosting(this, p2p);
  }

  /**
   * Runs {@code hook} on the host once it is built, before it listens or dials: the place to start
   * protocols that must see every connection (GossipSub, Kademlia).
   */
  public void onHostBuilt(java.util.function.Consumer<Host> hook) {
    hostHooks.add(hook);
  }

  /**
   * Runs {@code hook} once the host listens and may dial (before the engine's first mesh pass):
   * the place to start protocols that dial at once (Kademlia's bootstrap).
   */
  public void onHostStarted(java.util.function.Consumer<Host> hook) {
    startedHooks.add(hook);
  }

  /** This node's peer ID. */
  public PeerId peerId() {
    return self;
  }

  /** The P2P settings. */
  public P2PConfig p2pConfig() {
    return p2p;
  }

  /** The libp2p host once started, else empty. */
  public Optional<Host> host() {
    return Optional.ofNullable(host);
  }

  /** The limits derived at start (inventory 7.1), else empty. */
  public Optional<P2PConnectionLimits> connectionLimits() {
    return Optional.ofNullable(limits);
  }

  @Override
  public String networkType() {
    return "p2p";
  }

  @Override
  public TransportPolicy policy() {
    return TransportPolicy.P2P;
  }

  @Override
  public void start(TransportContext ctx) throws IOException {
    this.context = ctx;
    NetworkConfig c = ctx.config();
    boolean listen = !c.listenAddress().isEmpty() && c.incomingConnectionsLimit() != 0;
    P2PConnectionLimits l = P2PConnectionLimits.derive(c.gossipFanout(), listen, c.incomingConnectionsLimit(), p2p.dhtProviders());
    this.limits = l;
    this.local = new MetadataExchange.Local("", "", c.genesisId(), List.of(), MetadataExchange.PROTOCOL_VERSION, MetadataExchange.SUPPORTED_VERSIONS);
    HostConfig.Builder b =
        Host.builder()
            .identity(p2p.privateKey())
            .streamNegotiationTimeout(p2p.streamTimeout())
            .keepAliveInterval(p2p.keepAliveInterval())
            .handshakeTimeout(p2p.dialTimeout())
            .connectionLimits(
                unlimited(l.conns()),
                unlimited(l.connsInbound()),
                HostConfig.DEFAULT_MAX_CONNECTIONS_PER_PEER)
            .maxOutboundConnections(unlimited(l.connsOutbound()));
    if (l.trimming()) {
      b.connectionManager(l.connMgrLow(), l.connMgrHigh(), P2PConnectionLimits.GRACE_PERIOD);
    }
    if (listen) {
      b.listen(listenMultiaddr(c.listenAddress()));
    }
    Host h = b.build();
    for (String name : Host.LIMIT_COUNTERS) {
      FunctionCounter.builder("gossipnet.p2p.host.limits", h, host -> host.metric(name))
          .description("connections and streams the libp2p host refused, reset or closed at one of its limits")
          .tag("network", networkType())
          .tag("limit", name)
          .register(ctx.meters());
    }
    FunctionCounter.builder("gossipnet.p2p.http.refused", http, x -> x.server().metric("request.refused.concurrency"))
        .description("HTTP requests answered 503: their connection had too many in progress")
        .tag("network", networkType())
        .tag("reason", "concurrency")
        .register(ctx.meters());
    for (String protocol : GOSSIP_PROTOCOLS) {
      h.setStreamHandler(protocol, this::remoteOpened);
    }
    h.setStreamHandler(HttpServer.PROTOCOL, http.server());
    h.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connected(Connection connection) {
            onConnected(connection);
          }

          @Override
          public void disconnected(Connection connection, String reason) {
            streamEnded.remove(connection);
            P2PStreamConnection s = streams.get(connection.remotePeerId());
            if (s != null && s.libp2pConnection() == connection) {
              s.close(io.gossipnet.core.DisconnectReason.READ_ERROR, java.time.Duration.ZERO);
            }
          }
        });
    this.host = h;
    try {
      for (java.util.function.Consumer<Host> hook : hostHooks) {
        hook.accept(h);
      }
      h.start();
      for (java.util.function.Consumer<Host> hook : startedHooks) {
        hook.accept(h);
      }
    } catch (Libp2pException | RuntimeException e) {
      h.close();
      throw new IOException("cannot start the libp2p host on " + c.listenAddress() + ": " + e.getMessage(), e);
    }
  }

  /** The least of each host limit: a node with fanout 0 still makes HTTP-only connections. */
  static final int MIN_HOST_LIMIT = 8;

  /**
   * A derived count as the host's limit: unlimited as the host's, and at least {@value
   * #MIN_HOST_LIMIT} (the host wants positive limits; a client's 0 inbound is moot since it does
   * not listen; a fanout of 0 would otherwise forbid the connections of peer HTTP clients).
   */
  private static int unlimited(int n) {
    return n == P2PConnectionLimits.UNLIMITED ? HostConfig.UNLIMITED : Math.max(MIN_HOST_LIMIT, n);
  }

  /** {@code "ip:port"} (or {@code ":port"}) as the seed's {@code /ip4/<ip|0.0.0.0>/tcp/<port>}; a multiaddr as is. */
  static Multiaddr listenMultiaddr(String address) {
    String a = address.trim();
    if (a.startsWith("/")) {
      return Multiaddr.fromString(a);
    }
    int colon = a.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("listen address needs a port: " + address);
    }
    String ip = a.substring(0, colon);
    String port = a.substring(colon + 1);
    if (port.isEmpty()) {
      throw new IllegalArgumentException("listen address needs a port: " + address);
    }
    return Multiaddr.fromString("/ip4/" + (ip.isEmpty() ? "0.0.0.0" : ip) + "/tcp/" + Integer.parseInt(port));
  }

  @Override
  public void stop() {
    Host h = host;
    if (h != null) {
      h.close();
    }
    streams.clear();
  }

  @Override
  public Optional<String> listenAddress() {
    Host h = host;
    if (h == null || h.listenAddresses().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(h.listenAddresses().get(0).withPeerId(self).toString());
  }

  /**
   * {@code /p2p/<id>} for an address that names a peer: a peer is one node whatever address it is
   * reached at (an incoming connection's address has the dialer's ephemeral port, the DHT gives its
   * listen address), so the mesh neither dials a connected peer again nor dials one peer twice.
   */
  @Override
  public String canonicalAddress(String address) {
    try {
      Multiaddr m = Multiaddr.fromString(address.trim());
      return m.peerId().map(id -> "/p2p/" + id.toBase58()).orElse(m.toString());
    } catch (RuntimeException e) {
      return address.trim();
    }
  }

  /** The Ed25519 key inside the address's {@code /p2p/<peer ID>}, if it has one. */
  @Override
  public Optional<byte[]> identityOf(String address) {
    try {
      Optional<PeerId> id = Multiaddr.fromString(address.trim()).peerId();
      return id.isEmpty() ? Optional.empty() : Optional.of(ed25519Key(id.get()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<List<ConnectionInfo>> connections() {
    Host h = host;
    if (h == null) {
      return Optional.of(List.of());
    }
    List<ConnectionInfo> out = new ArrayList<>();
    for (Connection c : h.connections()) {
      out.add(new ConnectionInfo(P2PStreamConnection.address(c), networkType(), c.direction() == Direction.OUTBOUND, c.remotePeerId().toBase58()));
    }
    return Optional.of(out);
  }

  @Override
  public HttpHosting http() {
    return http;
  }

  /**
   * Dials a {@code /.../p2p/<id>} address, protected as a mesh connection. When our ID sorts lower
   * we open the gossip stream and the future completes with it; otherwise it completes with
   * {@link EstablishedConnection#remoteOpens()} and the peer arrives when its stream does.
   */
  @Override
  public CompletableFuture<EstablishedConnection> dial(String address) {
    Host h = host;
    if (h == null) {
      return CompletableFuture.failedFuture(new IOException("transport not started"));
    }
    Multiaddr ma;
    PeerId remote;
    try {
      ma = Multiaddr.fromString(address.trim());
      remote = ma.peerId().orElseThrow(() -> new IllegalArgumentException("no /p2p/<id> in " + address));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new IOException("not a P2P address: " + address + " (" + e.getMessage() + ")"));
    }
    if (remote.equals(self)) {
      return CompletableFuture.failedFuture(new IOException("refusing to dial ourselves at " + address));
    }
    if (streams.containsKey(remote)) {
      return CompletableFuture.failedFuture(new IOException("already connected to " + remote.toBase58()));
    }
    List<Connection> existing = h.connections(remote);
    boolean meshProtected = h.connectionManager().isProtected(remote, MESH_TAG);
    if (self.compareTo(remote) > 0
        && !existing.isEmpty()
        && existing.stream().allMatch(c -> streamEnded.contains(c) || (!meshProtected && c.direction() == Direction.OUTBOUND))) {
      // The peer, which opens the stream, does so when a connection is made: on one made by another
      // protocol (HTTP, Kademlia, GossipSub) it did and we refused it (not our dial), and on one
      // whose gossip stream ended it will not again. A fresh connection gets a new one.
      log.debug("closing {} connection(s) without a gossip stream to {} before dialing it for the mesh", existing.size(), remote.toBase58());
      h.closePeer(remote);
    }
    return h.connect(ma, MESH_TAG)
        .thenCompose(
            conn -> {
              if (self.compareTo(remote) > 0) {
                return CompletableFuture.completedFuture(EstablishedConnection.remoteOpens());
              }
              return openStream(conn).thenApply(est -> est);
            });
  }

  private void onConnected(Connection conn) {
    PeerId remote = conn.remotePeerId();
    if (conn.direction() == Direction.OUTBOUND) {
      // Ours are handled by dial(); others (DHT, pubsub) carry no gossip stream.
      return;
    }
    if (!context.config().enableGossipService() || self.compareTo(remote) > 0) {
      return;
    }
    TransportContext.Admission a = context.admitIncoming(P2PStreamConnection.hostOf(conn.remoteAddress()));
    if (a != TransportContext.Admission.OK) {
      log.info("event=ConnectionRefused remote={} reason={}", remote.toBase58(), a);
      conn.close();
      return;
    }
    openStream(conn)
        .whenComplete(
            (est, err) -> {
              if (err == null) {
                context.acceptIncoming(est.connection(), est.handshake());
              }
            });
  }

  /** Opens the gossip stream on {@code conn} and runs the start-of-stream exchange. */
  private CompletableFuture<EstablishedConnection> openStream(Connection conn) {
    return conn.newStream(GOSSIP_PROTOCOLS)
        .orTimeout(p2p.streamTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApplyAsync(
            stream -> {
              try {
                EstablishedConnection est = exchange(stream);
                keepOpened((P2PStreamConnection) est.connection(), stream);
                return est;
              } catch (IOException e) {
                refuse(stream, reasonOf(e), e.getMessage());
                throw new CompletionException(e);
              }
            },
            Thread.ofVirtual().name("gossipnet-p2p-open-", 0)::start);
  }

  /** A stream the peer opened: checked, exchanged, then handed to the engine; returns when it ends. */
  private void remoteOpened(Stream stream) throws IOException {
    Connection conn = stream.connection();
    PeerId remote = conn.remotePeerId();
    if (conn.direction() == Direction.INBOUND && !context.config().enableGossipService()) {
      refuse(stream, "gossip_disabled", "gossip is disabled on inbound connections");
      return;
    }
    if (conn.direction() == Direction.OUTBOUND && !host.connectionManager().isProtected(remote, MESH_TAG)) {
      refuse(stream, "not_our_dial", "stream on an outbound connection the mesh did not dial");
      return;
    }
    if (self.compareTo(remote) < 0) {
      refuse(stream, "wrong_opener", "opened by the peer whose ID sorts higher (the lower one opens)");
      return;
    }
    if (conn.direction() == Direction.INBOUND) {
      TransportContext.Admission a = context.admitIncoming(P2PStreamConnection.hostOf(conn.remoteAddress()));
      if (a != TransportContext.Admission.OK) {
        refuse(stream, a.name().toLowerCase(java.util.Locale.ROOT), "incoming admission: " + a);
        conn.close();
        return;
      }
    }
    Stream before = exchanging.put(remote, stream);
    if (before != null) {
      superseded.add(before);
      before.reset();
    }
    EstablishedConnection est = null;
    IOException failure = null;
    try {
      est = exchange(stream);
    } catch (IOException e) {
      failure = e;
    } finally {
      exchanging.remove(remote, stream);
    }
    if (superseded.remove(stream)) {
      refuse(stream, "superseded", "the peer opened another gossip stream during this one's exchange");
      // The newer stream may be on another connection (two dials that both got through): this
      // one then gets no stream again, and the mesh must replace it if the newer one fails too.
      Stream newer = exchanging.get(remote);
      P2PStreamConnection kept = streams.get(remote);
      Connection current = newer != null ? newer.connection() : kept != null ? kept.libp2pConnection() : null;
      if (current != conn && conn.isOpen()) {
        streamEnded.add(conn);
        if (!conn.isOpen()) {
          streamEnded.remove(conn);
        }
      }
      return;
    }
    if (failure != null) {
      refuse(stream, reasonOf(failure), failure.getMessage());
      // The peer opens streams only when a connection is made: one whose stream failed in the
      // exchange (reset by the peer as a duplicate, say) will get no other, so the mesh replaces it.
      if (conn.isOpen() && !streams.containsKey(remote)) {
        streamEnded.add(conn);
        if (!conn.isOpen()) {
          streamEnded.remove(conn);
        }
      }
      return;
    }
    P2PStreamConnection mc = (P2PStreamConnection) est.connection();
    if (!conn.isOpen()) {
      stream.reset();
      return;
    }
    keepRemoteOpened(mc);
    context.acceptIncoming(mc, est.handshake());
    // The host closes the stream when this handler returns: hold it while the peer lives.
    mc.closed().join();
  }

  /**
   * Runs the start-of-stream exchange within {@link P2PConfig#streamTimeout()}: a deadline for the
   * whole exchange, at which the stream is reset, so that a peer sending a byte now and then cannot
   * hold it open (a read timeout would bound each read only).
   */
  private EstablishedConnection exchange(Stream stream) throws IOException {
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean expired = new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture.delayedExecutor(p2p.streamTimeout().toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (finished.compareAndSet(false, true)) {
        expired.set(true);
        stream.reset();
      }
    });
    try {
      return exchangeNow(stream);
    } catch (IOException e) {
      if (expired.get()) {
        throw new ExchangeTimeoutException("start-of-stream exchange not finished within " + p2p.streamTimeout());
      }
      throw e;
    } finally {
      finished.set(true);
    }
  }

  private EstablishedConnection exchangeNow(Stream stream) throws IOException {
    Connection conn = stream.connection();
    PeerId remote = conn.remotePeerId();
    InputStream in = new BufferedInputStream(stream.in(), 64 * 1024);
    OutputStream out = new BufferedOutputStream(stream.out(), 64 * 1024);
    boolean connectionOutgoing = conn.direction() == Direction.OUTBOUND;
    String version;
    java.util.Set<String> features = java.util.Set.of();
    String telemetry = "";
    String instance = "";
    if (GOSSIP_V1.equals(stream.protocol())) {
      if (connectionOutgoing) {
        out.write('1');
        out.flush();
      } else if (in.read() < 0) {
        throw new IOException("stream ended before the V1 start byte");
      }
      version = MetadataExchange.PROTOCOL_VERSION;
    } else {
      MetadataExchange.Result r =
          connectionOutgoing ? MetadataExchange.outgoing(in, out, local) : MetadataExchange.incoming(in, out, local);
      version = r.version();
      features = r.peer().features();
      telemetry = r.peer().telemetryId();
      instance = r.peer().instanceName();
    }
    byte[] key = ed25519Key(remote);
    PeerHandshake hs =
        new PeerHandshake(version, features, telemetry, instance, new HandshakeIdentity.TransportAuthenticated(key), remote.toBase58());
    return new EstablishedConnection(new P2PStreamConnection(stream, in, out), hs);
  }

  /**
   * Records a stream we opened as the peer's gossip stream, unless another was recorded meanwhile
   * (the seed keeps the existing one and resets the new one).
   *
   * @throws IOException if the peer already has a gossip stream (the new one is refused)
   */
  private void keepOpened(P2PStreamConnection mc, Stream stream) throws IOException {
    PeerId remote = mc.libp2pConnection().remotePeerId();
    if (streams.putIfAbsent(remote, mc) != null) {
      throw new DuplicateStreamException("already have a gossip stream with " + remote.toBase58());
    }
    watch(remote, mc);
    if (!mc.libp2pConnection().isOpen()) {
      mc.close(io.gossipnet.core.DisconnectReason.READ_ERROR, java.time.Duration.ZERO);
      throw new IOException("the connection to " + remote.toBase58() + " closed during the exchange");
    }
  }

  /**
   * Records a stream the peer opened as its gossip stream, replacing the one it had (the seed's
   * {@code streamHandler}): the old stream's peer is closed with {@code StreamReplaced} before the
   * new one is handed to the engine; the libp2p connection stays open when both run on it.
   */
  private void keepRemoteOpened(P2PStreamConnection mc) {
    PeerId remote = mc.libp2pConnection().remotePeerId();
    P2PStreamConnection previous = streams.put(remote, mc);
    watch(remote, mc);
    if (previous == null || previous == mc) {
      return;
    }
    if (previous.libp2pConnection() == mc.libp2pConnection()) {
      previous.keepConnection();
    }
    log.info("event=StreamReplaced remote={}", remote.toBase58());
    Counter.builder("gossipnet.p2p.streams.replaced")
        .description("gossip streams replaced by a newer stream the peer opened")
        .tag("network", networkType())
        .register(context.meters())
        .increment();
    context.closePeer(previous, io.gossipnet.core.DisconnectReason.STREAM_REPLACED);
    previous.close(io.gossipnet.core.DisconnectReason.STREAM_REPLACED, java.time.Duration.ZERO);
  }

  /**
   * Keeps {@code mc} as {@code remote}'s gossip stream until it closes; a close that leaves the
   * connection open marks the connection as one whose stream ended.
   */
  private void watch(PeerId remote, P2PStreamConnection mc) {
    Connection conn = mc.libp2pConnection();
    streamEnded.remove(conn);
    mc.onClose(() -> {
      streams.remove(remote, mc);
      if (mc.leftConnectionOpen() && !streams.containsKey(remote)) {
        streamEnded.add(conn);
        if (!conn.isOpen()) {
          streamEnded.remove(conn);
        }
      }
    });
  }

  /** An exchange that did not finish within the stream timeout. */
  private static final class ExchangeTimeoutException extends IOException {
    ExchangeTimeoutException(String message) {
      super(message);
    }
  }

  /** A second gossip stream with a peer that already has one. */
  private static final class DuplicateStreamException extends IOException {
    DuplicateStreamException(String message) {
      super(message);
    }
  }

  /** The raw Ed25519 public key inside a peer ID. */
  static byte[] ed25519Key(PeerId id) throws IOException {
    PublicKey k = id.publicKey().orElseThrow(() -> new IOException("peer ID " + id.toBase58() + " does not inline its key"));
    if (k.type() != KeyType.ED25519) {
      throw new IOException("peer ID " + id.toBase58() + " has a " + k.type() + " key, not Ed25519");
    }
    return k.data();
  }

  private static String reasonOf(IOException e) {
    if (e instanceof DuplicateStreamException) {
      return "duplicate_stream";
    }
    if (e instanceof ExchangeTimeoutException) {
      return "exchange_timeout";
    }
    if (e instanceof MetadataException m) {
      return "metadata_" + m.reason().name().toLowerCase(java.util.Locale.ROOT);
    }
    return "exchange_failed";
  }

  private void refuse(Stream stream, String reason, String detail) {
    log.info("event=StreamRefused remote={} reason={} detail={}", stream.connection().remotePeerId().toBase58(), reason, detail);
    Counter.builder("gossipnet.p2p.streams.refused")
        .description("gossip streams refused, by reason")
        .tag("network", networkType())
        .tag("reason", reason)
        .register(context.meters())
        .increment();
    stream.reset();
  }
}
