package io.gossipnet.libp2p.host;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.PeerRecord;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.StreamHandler;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.internal.mss.Multistream;
import io.gossipnet.libp2p.internal.mss.MultistreamHandler;
import io.gossipnet.libp2p.internal.noise.NoiseHandshakeHandler;
import io.gossipnet.libp2p.internal.noise.NoisePayload;
import io.gossipnet.libp2p.internal.noise.NoiseXXHandshake;
import io.gossipnet.libp2p.internal.yamux.ChannelReason;
import io.gossipnet.libp2p.internal.yamux.YamuxConfig;
import io.gossipnet.libp2p.internal.yamux.YamuxSession;
import io.gossipnet.libp2p.internal.yamux.YamuxStream;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.protocol.Identify;
import io.gossipnet.libp2p.protocol.Ping;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p host: listens and dials over TCP, upgrades each connection with multistream-select,
 * Noise XX and Yamux, answers Identify and Ping, and dispatches inbound streams to the
 * {@link StreamHandler} bound to the negotiated protocol.
 *
 * <p>Typical use: {@code Host host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();}
 * then {@code host.dial(addr).join().newStream("/my/1.0.0")}.
 */
public final class Host implements AutoCloseable {
  /** The security protocol ID negotiated before Noise. */
  public static final String NOISE_PROTOCOL = "/noise";
  /** The names of the counters of the host's limits and refusals (see {@link #metric}). */
  public static final List<String> LIMIT_COUNTERS = List.of("connection.refused.inboundLimit",
      "connection.refused.totalLimit", "connection.refused.perPeerLimit", "connection.setupTimeout",
      "connection.keepAliveTimeout", "stream.refused.limit", "stream.negotiationTimeout",
      "stream.reset.connectionBudget", "stream.reset.hostBudget", "stream.windowExceeded",
      "connection.refused.peerIdMismatch");
  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  private final HostConfig config;
  private final EventLoopGroup group;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Set<HostConnection> connections = ConcurrentHashMap.newKeySet();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private final AtomicInteger inboundChannels = new AtomicInteger();
  private final AtomicInteger allChannels = new AtomicInteger();
  /** Outbound connections, reserved when a dial starts and released when its channel closes. */
  private final AtomicInteger outboundChannels = new AtomicInteger();
  private final ConnectionManager connectionManager;
  private final AtomicBoolean pushScheduled = new AtomicBoolean();
  private static final long PUSH_DEBOUNCE_MILLIS = 300;
  private volatile List<Multiaddr> listenAddresses = List.of();
  /** One static Noise key per host, signed once: signing is the slow part of a handshake. */
  private final KeyPair noiseStatic = NoiseXXHandshake.generateX25519();
  private final byte[] noisePayload;
  private volatile SignedRecord signedRecord;
  /** Memory held for unread data in all streams of all connections. */
  private final AtomicLong hostBuffered = new AtomicLong();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  /**
   * Connections of each peer from the end of their Noise handshake until their channel closes:
   * taken before the muxer is negotiated, so that connections still negotiating count against
   * {@link HostConfig#maxConnectionsPerPeer()} too.
   */
  private final Map<PeerId, Integer> peerSlots = new ConcurrentHashMap<>();

  Host(HostConfig config) {
    this.config = config;
    this.noisePayload = NoisePayload.create(config.identity(),
        NoiseXXHandshake.rawPublic(noiseStatic),
        config.earlyMuxerNegotiation() ? List.of(YamuxSession.PROTOCOL) : List.of());
    this.group = new MultiThreadIoEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()),
        NioIoHandler.newFactory());
    handlers.put(Identify.PROTOCOL, s -> Identify.respond(s, localIdentify()));
    handlers.put(Identify.PUSH_PROTOCOL, this::identifyPush);
    handlers.put(Ping.PROTOCOL, new Ping());
    this.connectionManager = new ConnectionManager(config.connectionManager(), System::nanoTime,
        c -> ((HostConnection) c).close("trimmed by the connection manager"));
    if (config.connectionManager().trimmingEnabled()) {
      long every = config.connectionManager().checkInterval().toMillis();
      group.scheduleAtFixedRate(() -> {
        try {
          connectionManager.checkAndTrim();
        } catch (RuntimeException e) {
          LOG.warn("connection manager trim failed", e);
        }
      }, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** A builder with defaults: a fresh key, no listen addresses. */
  public static HostConfig.Builder builder() {
    return new HostConfig.Builder();
  }

  /**
   * Binds the listen addresses of the configuration; with none the host stays dial-only. A host
   * dials, serves streams on its connections and runs protocols before it is started: only
   * listening waits for {@code start()} (go-algorand builds the host, pubsub and the DHT first and
   * listens in {@code Start()}).
   */
  public Host start() throws Libp2pException {
    List<Multiaddr> bound = new ArrayList<>();
    for (Multiaddr addr : config.listenAddresses()) {
      ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              acceptInbound(ch);
            }
          });
      try {
        Channel ch = b.bind(addr.toTcpSocketAddress()).sync().channel();
        serverChannels.add(ch);
        bound.addAll(expand(addr, ((InetSocketAddress) ch.localAddress()).getPort()));
      } catch (Exception e) {
        close();
        throw new Libp2pException("cannot listen on " + addr + ": " + e.getMessage(), e);
      }
    }
    listenAddresses = List.copyOf(bound);
    LOG.info("libp2p host {} listening on {}", peerId(), listenAddresses);
    return this;
  }

  /**
   * The addresses to announce for a bound listen address: itself, or for a wildcard the addresses
   * of the interfaces in the requested family (the JDK may report an IPv4 wildcard as {@code ::}).
   */
  private static List<Multiaddr> expand(Multiaddr requested, int port) {
    InetSocketAddress sa = requested.toTcpSocketAddress();
    if (sa.isUnresolved() || !sa.getAddress().isAnyLocalAddress()) {
      return List.of(Multiaddr.fromSocketAddress(new InetSocketAddress(sa.getAddress(), port)));
    }
    boolean ip4 = sa.getAddress() instanceof Inet4Address;
    List<Multiaddr> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if ((a instanceof Inet4Address) == ip4 && !a.isLinkLocalAddress()) {
            out.add(Multiaddr.fromSocketAddress(new InetSocketAddress(a, port)));
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list network interfaces: {}", e.toString());
    }
    return out.isEmpty() ? List.of(Multiaddr.fromSocketAddress(new InetSocketAddress(sa.getAddress(), port))) : out;
  }

  /** Our peer ID. */
  public PeerId peerId() {
    return config.identity().peerId();
  }

  /** Our identity key. */
  public PrivateKey identity() {
    return config.identity();
  }

  /** The configuration. */
  public HostConfig config() {
    return config;
  }

  /** The bound listen addresses (with real ports), without {@code /p2p/}. */
  public List<Multiaddr> listenAddresses() {
    return listenAddresses;
  }

  /** Binds {@code handler} to {@code protocol} for inbound streams (replacing any earlier one). */
  public void setStreamHandler(String protocol, StreamHandler handler) {
    if (handlers.put(protocol, handler) == null) {
      schedulePush();
    }
  }

  /** Removes the handler of {@code protocol}. */
  public void removeStreamHandler(String protocol) {
    if (handlers.remove(protocol) != null) {
      schedulePush();
    }
  }

  /**
   * Tells connected peers about a change of our protocols with identify push, debounced so that
   * several changes in a row make one push.
   */
  private void schedulePush() {
    if (connections.isEmpty() || !pushScheduled.compareAndSet(false, true)) {
      return;
    }
    group.schedule(() -> {
      pushScheduled.set(false);
      for (HostConnection c : connections) {
        executor.execute(() -> {
          try {
            Stream s = c.newStream(Identify.PUSH_PROTOCOL).join();
            Identify.respond(s, localIdentify());
            s.close();
          } catch (Exception e) {
            LOG.debug("identify push to {} failed: {}", c.remotePeerId(), e.toString());
          }
        });
      }
    }, PUSH_DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The protocols we serve. */
  public List<String> protocols() {
    return List.copyOf(handlers.keySet());
  }

  /** Adds a connection listener. */
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  /**
   * The connection manager: protection of peers under tags and trimming by the watermarks of
   * {@link HostConfig#connectionManager()}.
   */
  public ConnectionManager connectionManager() {
    return connectionManager;
  }

  /**
   * Dials {@code address} (which must name the peer with {@code /p2p/}) for the application, as
   * go-algorand's {@code dialNode}: protects the peer under {@code protectTag} <em>before</em>
   * dialing, so that the {@link ConnectionListener#connected} event of the new connection already
   * sees {@code connectionManager().isProtected(peer, protectTag)}, and removes that protection if
   * the dial fails. A connection that the DHT, pubsub or any other plain {@link #dial} opened is
   * not protected under the tag; that is how a listener tells the connections it asked for.
   * Connecting to a peer we already have a connection to reuses it (no {@code connected} event).
   *
   * @throws IllegalArgumentException if {@code address} has no {@code /p2p/} peer ID or the tag is empty
   */
  public CompletableFuture<Connection> connect(Multiaddr address, String protectTag) {
    PeerId peer = address.peerId().orElseThrow(
        () -> new IllegalArgumentException("connect needs an address with /p2p/<peer id>: " + address));
    if (protectTag == null || protectTag.isEmpty()) {
      throw new IllegalArgumentException("connect needs a protection tag");
    }
    connectionManager.protect(peer, protectTag);
    return dial(address).whenComplete((c, e) -> {
      if (e != null) {
        connectionManager.unprotect(peer, protectTag);
      }
    });
  }

  /** Closes every connection to {@code peer} (go's {@code Network().ClosePeer}); returns how many. */
  public int closePeer(PeerId peer) {
    int n = 0;
    for (HostConnection c : connections) {
      if (c.remotePeerId().equals(peer)) {
        c.close();
        n++;
      }
    }
    return n;
  }

  /** The open connections. */
  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** The open connections to {@code peer}. */
  public List<Connection> connections(PeerId peer) {
    return connections.stream().filter(c -> c.remotePeerId().equals(peer)).map(c -> (Connection) c).toList();
  }

  /**
   * Dials a TCP multiaddr, reusing an open connection when the address names a peer we are
   * connected to. When the address has {@code /p2p/<id>}, the Noise handshake checks that the
   * remote is that peer.
   */
  public CompletableFuture<Connection> dial(Multiaddr address) {
    PeerId expected = address.peerId().orElse(null);
    if (expected != null) {
      for (HostConnection c : connections) {
        if (c.remotePeerId().equals(expected) && c.isOpen()) {
          return CompletableFuture.completedFuture(c);
        }
      }
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    InetSocketAddress target;
    try {
      target = address.withoutPeerId().toTcpSocketAddress();
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(new Libp2pException("cannot dial " + address + ": " + e.getMessage()));
      return result;
    }
    if (allChannels.get() >= config.maxConnections()) {
      result.completeExceptionally(new Libp2pException("connection limit " + config.maxConnections() + " reached"));
      return result;
    }
    if (outboundChannels.incrementAndGet() > config.maxOutboundConnections()) {
      outboundChannels.decrementAndGet();
      result.completeExceptionally(new Libp2pException("outbound connection limit "
          + config.maxOutboundConnections() + " reached"));
      return result;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        outboundChannels.decrementAndGet();
      }
    };
    Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeout().toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            allChannels.incrementAndGet();
            ch.closeFuture().addListener(f -> {
              allChannels.decrementAndGet();
              release.run();
            });
            upgrade(ch, true, expected, result);
          }
        });
    b.connect(target).addListener(f -> {
      if (!f.isSuccess()) {
        release.run();
        result.completeExceptionally(new Libp2pException("cannot connect to " + address + ": "
            + f.cause().getMessage(), f.cause()));
      }
    });
    return result;
  }

  /** Dials and opens a stream for the first supported of {@code protocols}. */
  public CompletableFuture<Stream> newStream(Multiaddr address, List<String> protocols) {
    return dial(address).thenCompose(c -> c.newStream(protocols));
  }

  /**
   * Opens a stream to a connected peer over one of its open connections; fails when there is none
   * (dial first).
   */
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
    for (HostConnection c : connections) {
      if (c.remotePeerId().equals(peer) && c.isOpen()) {
        return c.newStream(protocols);
      }
    }
    return CompletableFuture.failedFuture(new Libp2pException("not connected to " + peer));
  }

  /**
   * Memory held for unread data in the streams of all connections, as counted against the buffer
   * budgets: the data, the buffers it keeps alive and a per-frame overhead (see {@link
   * HostConfig#maxBufferedBytesPerConnection()}).
   */
  public long bufferedBytes() {
    return hostBuffered.get();
  }

  /**
   * The value of one counter; 0 if never counted. Each limit a remote can push against counts its
   * refusals: {@code connection.refused.inboundLimit}, {@code connection.refused.totalLimit} (an
   * inbound connection closed at once), {@code connection.refused.perPeerLimit} (closed after the
   * Noise handshake), {@code connection.setupTimeout} (set-up not finished within {@link
   * HostConfig#handshakeTimeout()}), {@code connection.keepAliveTimeout}, {@code
   * stream.refused.limit} (a stream past {@link HostConfig#maxInboundStreamsPerConnection()},
   * reset), {@code stream.negotiationTimeout} (a stream that did not finish multistream-select
   * within {@link HostConfig#streamNegotiationTimeout()}, reset), {@code
   * stream.reset.connectionBudget}, {@code stream.reset.hostBudget} (unread data past a buffer
   * budget: the stream is reset) and {@code stream.windowExceeded} (data past a Yamux receive
   * window: the connection is closed).
   */
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

  private void count(String name) {
    counters.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  /** A readable snapshot of the host: addresses, limits, connections and their streams. */
  public String dump() {
    StringBuilder sb = new StringBuilder();
    sb.append("Host ").append(peerId()).append(" listening on ").append(listenAddresses).append('\n');
    sb.append("  buffered: ").append(hostBuffered.get()).append(" of ").append(config.maxBufferedBytesTotal())
        .append(" bytes\n");
    sb.append("  protocols: ").append(new TreeSet<>(handlers.keySet())).append('\n');
    sb.append("  channels: ").append(allChannels.get()).append(" (inbound ").append(inboundChannels.get())
        .append(", outbound ").append(outboundChannels.get()).append("), limits ").append(config.maxConnections())
        .append('/').append(config.maxInboundConnections()).append(" in/").append(config.maxOutboundConnections())
        .append(" out/").append(config.maxConnectionsPerPeer()).append(" per peer\n");
    sb.append("  ").append(connectionManager.describe()).append('\n');
    for (HostConnection c : connections) {
      sb.append("  ").append(c).append(": ").append(c.streamCount()).append(" streams, early muxer ")
          .append(c.earlyMuxerNegotiated()).append(", identified ").append(c.identify().isDone()).append('\n');
    }
    return sb.toString();
  }

  private void acceptInbound(SocketChannel ch) {
    int inbound = inboundChannels.incrementAndGet();
    int all = allChannels.incrementAndGet();
    ch.closeFuture().addListener(f -> {
      inboundChannels.decrementAndGet();
      allChannels.decrementAndGet();
    });
    if (inbound > config.maxInboundConnections() || all > config.maxConnections()) {
      count(inbound > config.maxInboundConnections() ? "connection.refused.inboundLimit" : "connection.refused.totalLimit");
      LOG.info("refusing inbound connection from {}: connection limit reached ({} inbound, {} total)",
          ch.remoteAddress(), inbound - 1, all - 1);
      ch.close();
      return;
    }
    upgrade(ch, false, null, new CompletableFuture<>());
  }

  private void upgrade(Channel ch, boolean initiator, PeerId expected, CompletableFuture<Connection> result) {
    ch.pipeline().addLast("guard", new Guard(result));
    ch.eventLoop().schedule(() -> {
      if (!result.isDone() && ch.isActive()) {
        count("connection.setupTimeout");
        closeWithReason(ch, "connection set-up not finished within " + config.handshakeTimeout());
      }
    }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    BiConsumer<ChannelHandlerContext, NoisePayload.Verified> onSecured =
        (ctx, remote) -> secured(ctx, initiator, remote, result);
    BiConsumer<ChannelHandlerContext, String> onNoise = (ctx, p) ->
        ctx.pipeline().addAfter(ctx.name(), "noise-handshake",
            new NoiseHandshakeHandler(initiator, noiseStatic, noisePayload, expected, onSecured));
    ch.pipeline().addBefore("guard", "mss-security", initiator
        ? MultistreamHandler.dialer(NOISE_PROTOCOL, onNoise)
        : MultistreamHandler.listener(Set.of(NOISE_PROTOCOL), onNoise));
  }

  private void secured(ChannelHandlerContext ctx, boolean initiator, NoisePayload.Verified remote,
      CompletableFuture<Connection> result) {
    if (!takePeerSlot(ctx.channel(), remote.peerId())) {
      count("connection.refused.perPeerLimit");
      closeWithReason(ctx.channel(), "per-peer connection limit " + config.maxConnectionsPerPeer()
          + " reached for " + remote.peerId());
      return;
    }
    boolean early = config.earlyMuxerNegotiation() && remote.streamMuxers().contains(YamuxSession.PROTOCOL);
    if (early) {
      addMuxer(ctx, initiator, remote, true, result);
      return;
    }
    BiConsumer<ChannelHandlerContext, String> onMuxer =
        (mctx, p) -> addMuxer(mctx, initiator, remote, false, result);
    ctx.pipeline().addAfter(ctx.name(), "mss-muxer", initiator
        ? MultistreamHandler.dialer(YamuxSession.PROTOCOL, onMuxer)
        : MultistreamHandler.listener(Set.of(YamuxSession.PROTOCOL), onMuxer));
  }

  /**
   * Takes one of {@code peer}'s {@link HostConfig#maxConnectionsPerPeer()} places for {@code ch}
   * until it closes; false if they are all taken.
   */
  private boolean takePeerSlot(Channel ch, PeerId peer) {
    boolean[] taken = new boolean[1];
    peerSlots.compute(peer, (p, n) -> {
      int held = n == null ? 0 : n;
      if (held >= config.maxConnectionsPerPeer()) {
        return n;
      }
      taken[0] = true;
      return held + 1;
    });
    if (taken[0]) {
      ch.closeFuture().addListener(f -> peerSlots.computeIfPresent(peer, (p, n) -> n <= 1 ? null : n - 1));
    }
    return taken[0];
  }

  private void addMuxer(ChannelHandlerContext ctx, boolean initiator, NoisePayload.Verified remote, boolean early,
      CompletableFuture<Connection> result) {
    HostConnection[] holder = new HostConnection[1];
    YamuxConfig yc = new YamuxConfig(config.maxInboundStreamsPerConnection(), 1024, config.maxStreamWindow(),
        config.maxBufferedBytesPerConnection(), config.keepAliveInterval());
    YamuxSession session = new YamuxSession(initiator, yc, s -> serveInbound(holder[0], s), hostBuffered,
        config.maxBufferedBytesTotal(), this::count);
    HostConnection conn = new HostConnection(ctx.channel(), session, remote.peerId(),
        initiator ? Direction.OUTBOUND : Direction.INBOUND, early, executor, config, this::count);
    holder[0] = conn;
    ctx.pipeline().addAfter(ctx.name(), "yamux", session);
    connections.add(conn);
    connectionManager.connected(conn);
    ((Guard) ctx.pipeline().get("guard")).connection = conn;
    LOG.debug("connection up: {} (early muxer: {})", conn, early);
    result.complete(conn);
    for (ConnectionListener l : listeners) {
      l.connected(conn);
    }
    executor.execute(() -> {
      try {
        IdentifyInfo info = Identify.request(conn);
        conn.identifyFuture().complete(info);
      } catch (Exception e) {
        Throwable cause = e.getCause() != null && e instanceof CompletionException
            ? e.getCause() : e;
        LOG.info("identify of {} failed: {}", conn.remotePeerId(), cause.getMessage());
        conn.identifyFuture().completeExceptionally(cause);
      }
    });
  }

  private void serveInbound(HostConnection conn, YamuxStream s) {
    s.bind(conn);
    executor.execute(() -> {
      try {
        String protocol;
        try (NegotiationDeadline d = negotiationDeadline(conn, s, config, this::count)) {
          protocol = Multistream.handle(s.in(), s.out(), handlers.keySet(), 16);
        }
        s.protocol(protocol);
        StreamHandler h = handlers.get(protocol);
        if (h == null) {
          throw new Libp2pException("no handler for " + protocol);
        }
        h.handle(s);
        s.close();
      } catch (Exception e) {
        LOG.debug("inbound stream {} from {} ended: {}", s, conn.remotePeerId(), e.toString());
        s.reset();
      }
    });
  }

  /**
   * Resets {@code s} unless its protocol is negotiated within {@link
   * HostConfig#streamNegotiationTimeout()}: the deadline of the whole negotiation, which a peer that
   * sends a byte now and then cannot extend (a read timeout alone would only bound each read).
   */
  static NegotiationDeadline negotiationDeadline(HostConnection conn, YamuxStream s, HostConfig config,
      java.util.function.Consumer<String> events) {
    AtomicBoolean done = new AtomicBoolean();
    s.setReadTimeout(config.streamNegotiationTimeout());
    io.netty.util.concurrent.ScheduledFuture<?> timer = conn.channel().eventLoop().schedule(() -> {
      if (done.compareAndSet(false, true)) {
        events.accept("stream.negotiationTimeout");
        LOG.debug("stream {} of {} not negotiated within {}: reset", s, conn.remotePeerId(),
            config.streamNegotiationTimeout());
        s.reset("stream " + s.id() + " not negotiated within " + config.streamNegotiationTimeout());
      }
    }, config.streamNegotiationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return () -> {
      s.setReadTimeout(null);
      if (done.compareAndSet(false, true)) {
        timer.cancel(false);
      }
    };
  }

  /** Ends a {@link #negotiationDeadline}: the negotiation finished or failed first. */
  interface NegotiationDeadline extends AutoCloseable {
    @Override
    void close();
  }

  private void identifyPush(Stream s) throws IOException {
    HostConnection c = (HostConnection) s.connection();
    IdentifyInfo previous = c.identify().getNow(null);
    IdentifyInfo info = Identify.readAll(s, previous);
    c.updateIdentify(info);
    LOG.debug("identify push from {}: {} protocols", c.remotePeerId(), info.protocols().size());
    for (ConnectionListener l : listeners) {
      try {
        l.identifyPushed(c, info);
      } catch (RuntimeException e) {
        LOG.warn("connection listener failed on an identify push from {}", c.remotePeerId(), e);
      }
    }
  }

  private Identify.Local localIdentify() {
    List<Multiaddr> addrs = listenAddresses;
    SignedRecord rec = signedRecord;
    if (rec == null || !rec.addresses().equals(addrs)) {
      rec = new SignedRecord(addrs, new PeerRecord(peerId(), System.currentTimeMillis(), addrs).sign(config.identity()));
      signedRecord = rec;
    }
    return new Identify.Local(config.identity(), config.agentVersion(), addrs, protocols(), rec.envelope());
  }

  private record SignedRecord(List<Multiaddr> addresses, byte[] envelope) {}

  static void closeWithReason(Channel ch, String reason) {
    ch.attr(ChannelReason.KEY).setIfAbsent(reason);
    LOG.info("closing connection to {}: {}", ch.remoteAddress(), reason);
    ch.close();
  }

  /** Stops listening, closes every connection and stops the event loops. */
  @Override
  public void close() {
    for (Channel ch : serverChannels) {
      ch.close();
    }
    for (HostConnection c : connections) {
      c.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    executor.shutdownNow();
  }

  /** Last handler of every connection: logs and closes on errors, reports closes. */
  private final class Guard extends ChannelDuplexHandler {
    private final CompletableFuture<Connection> result;
    volatile HostConnection connection;

    Guard(CompletableFuture<Connection> result) {
      this.result = result;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      String reason = c instanceof Libp2pException ? c.getMessage() : c.toString();
      if (c instanceof io.gossipnet.libp2p.internal.noise.PeerIdMismatchException) {
        count("connection.refused.peerIdMismatch");
      }
      closeWithReason(ctx.channel(), reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      String reason = ctx.channel().attr(ChannelReason.KEY).get();
      if (reason == null) {
        reason = "closed by remote";
      }
      result.completeExceptionally(new Libp2pException("connection to " + ctx.channel().remoteAddress()
          + " failed: " + reason));
      HostConnection c = connection;
      if (c != null && connections.remove(c)) {
        connectionManager.disconnected(c);
        c.markClosed(reason);
        for (ConnectionListener l : listeners) {
          l.disconnected(c, reason);
        }
      }
      super.channelInactive(ctx);
    }
  }
}
