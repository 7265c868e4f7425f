package io.gossipnet.ws;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.identity.IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityException;
import io.gossipnet.core.spi.HandshakeException;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.core.spi.Transport;
import io.gossipnet.core.spi.TransportContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.gossipnet.core.http.PathTemplate;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.DecoratedObjectFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketExtensionRegistry;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.UpgradeListener;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.exception.UpgradeException;
import org.eclipse.jetty.websocket.core.server.Handshaker;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket {@link Transport}: one Jetty server per node serving the gossip endpoint and the
 * registered HTTP handlers, and a Jetty WebSocket client for dialing. Both run the handshake of
 * the seed network (inventory section 6) and hand {@link WsConnection}s to the engine.
 *
 * <p>Server side, in order (the seed's {@code RequestTracker} then {@code ServeHTTP}): the per-IP
 * connection rate (429 with {@code Retry-After}; over twice the count the connection is dropped;
 * both counted in {@code gossipnet.ws.rate.limited}), the pending-connection cap (more HTTP
 * connections not upgraded to WebSocket than the incoming limit: 503 except for {@code /status},
 * {@code gossipnet.ws.pending.refused}; the gauge {@code gossipnet.ws.http.pending}), then for the gossip path: gossip
 * enabled (404) and incoming limits (503), version negotiation (412), genesis path variable (404
 * when missing, 412 on mismatch), node random (412 missing, 508 self), the identity challenge
 * (412 when malformed or wrongly signed), then the upgrade. Client side: the response status
 * (with {@code Retry-After}), then version, node random and genesis of the response, then the
 * identity response.
 */
public final class WsTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(WsTransport.class);
  /** The path exempt from the pending-connection cap. */
  public static final String STATUS_PATH = "/status";
  private static final String COUNTED_ATTRIBUTE = "io.gossipnet.ws.counted";

  private final WsConfig ws;
  private final WsHttpHosting http;
  private volatile TransportContext context;
  private NetworkConfig config;
  private PathTemplate gossipTemplate;
  private String ourRandom;
  private Server server;
  private ServerConnector connector;
  private QueuedThreadPool threadPool;
  private ScheduledExecutorScheduler scheduler;
  private WebSocketComponents components;
  private FrameBufferBudget frameBuffers;
  private HttpClient httpClient;
  private WebSocketCoreClient wsClient;
  private Handshaker handshaker;
  private RequestTracker rateTracker;
  private final AtomicInteger openHttpConnections = new AtomicInteger();
  private volatile String listenAddress;
  private final java.util.Set<WsConnection> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  private Counter rateLimited;
  private Counter pendingRefused;
  private Counter closedIdle;
  private MeterRegistry meters;

  /** Creates a transport with these settings; nothing starts until {@link #start}. */
  public WsTransport(WsConfig ws) {
    this.ws = ws;
    this.http = new WsHttpHosting(ws);
  }

  /** The WebSocket settings. */
  public WsConfig wsConfig() {
    return ws;
  }

  @Override
  public String networkType() {
    return "ws";
  }

  @Override
  public String canonicalAddress(String address) {
    try {
      return WsAddresses.canonical(address);
    } catch (IllegalArgumentException e) {
      return address == null ? "" : address;
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public synchronized void start(TransportContext ctx) throws IOException {
    this.context = ctx;
    this.config = ctx.config();
    this.meters = ctx.meters();
    this.gossipTemplate = PathTemplate.parse(ws.gossipPath());
    this.ourRandom = Base64.getEncoder().encodeToString(ctx.nodeRandom());
    this.rateTracker = new RequestTracker(config.connectionsRateLimitingWindow(), config.connectionsRateLimitingCount(), System::nanoTime);
    this.rateLimited = Counter.builder("gossipnet.ws.rate.limited").description("connections refused by the per-IP rate limit").register(meters);
    this.pendingRefused = Counter.builder("gossipnet.ws.pending.refused")
        .description("requests answered 503: more HTTP connections than the incoming limit were pending")
        .register(meters);
    this.closedIdle = Counter.builder("gossipnet.ws.http.closed.idle")
        .description("HTTP connections closed before their first request (the read-header timeout, or the client left)")
        .register(meters);
    threadPool = new QueuedThreadPool(200, 4, 60_000);
    threadPool.setName("gossipnet-ws");
    threadPool.setDaemon(true);
    scheduler = new ScheduledExecutorScheduler("gossipnet-ws-scheduler", true);
    ByteBufferPool pool = new ArrayByteBufferPool();
    WebSocketExtensionRegistry extensions = new WebSocketExtensionRegistry();
    extensions.unregister("permessage-deflate");
    // A connection that sends nothing is closed within ping interval + pong timeout (or the idle
    // timeout without pings): a share held a minute past that belongs to a dropped buffer.
    java.time.Duration quiet = ws.pingInterval().isZero() ? config.idleTimeout() : ws.pingInterval().plus(ws.pongTimeout());
    frameBuffers = new FrameBufferBudget(pool, ws.frameBufferBudget(), ws.ioBufferSize(), quiet.plusMinutes(1), meters);
    components = new WebSocketComponents(extensions, new DecoratedObjectFactory(), frameBuffers, null, null, threadPool);
    handshaker = Handshaker.newInstance();
    try {
      threadPool.start();
      scheduler.start();
      components.start();
      startClient(frameBuffers);
      if (!config.listenAddress().isEmpty()) {
        startServer(frameBuffers);
      }
      schedulePingCheck();
    } catch (Exception e) {
      stop();
      throw e instanceof IOException io ? io : new IOException("cannot start the WebSocket transport: " + e.getMessage(), e);
    }
  }

  private void startClient(ByteBufferPool pool) throws Exception {
    ClientConnector cc = new ClientConnector();
    cc.setExecutor(threadPool);
    cc.setScheduler(scheduler);
    cc.setByteBufferPool(pool);
    cc.setConnectTimeout(ws.connectTimeout());
    SslContextFactory.Client ssl = new SslContextFactory.Client(ws.trustAllCertificates());
    cc.setSslContextFactory(ssl);
    httpClient = new HttpClient(new HttpClientTransportOverHTTP(cc));
    httpClient.setExecutor(threadPool);
    httpClient.setScheduler(scheduler);
    httpClient.setByteBufferPool(pool);
    httpClient.setConnectTimeout(ws.connectTimeout().toMillis());
    httpClient.setMaxResponseHeadersSize(ws.maxHeaderSize());
    httpClient.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, ws.userAgent()));
    httpClient.setFollowRedirects(false);
    wsClient = new WebSocketCoreClient(httpClient, components);
    wsClient.start();
    http.startClient(httpClient);
  }

  private void startServer(ByteBufferPool pool) throws Exception {
    HostPort hp = HostPort.parse(config.listenAddress());
    server = new Server(threadPool, scheduler, pool);
    HttpConfiguration hc = new HttpConfiguration();
    hc.setRequestHeaderSize(ws.maxHeaderSize());
    hc.setResponseHeaderSize(ws.maxHeaderSize());
    hc.setSendServerVersion(false);
    hc.setSendDateHeader(false);
    HttpConnectionFactory httpFactory = new HttpConnectionFactory(hc);
    if (ws.tls()) {
      hc.addCustomizer(new SecureRequestCustomizer(false));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(PemKeys.keyStore(ws.tlsCertFile(), ws.tlsKeyFile()));
      ssl.setKeyStorePassword(PemKeys.PASSWORD);
      connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, httpFactory.getProtocol()), httpFactory);
    } else {
      connector = new ServerConnector(server, 1, 1, httpFactory);
    }
    connector.setHost(hp.host());
    connector.setPort(hp.port());
    connector.setIdleTimeout(ws.readHeaderTimeout().toMillis());
    connector.addEventListener(
        new Connection.Listener() {
          // Only HTTP connections are pending: an upgraded one becomes a WebSocketConnection (its
          // HTTP connection closes), and under TLS the SslConnection below the HTTP one is the
          // same TCP connection.
          @Override
          public void onOpened(Connection c) {
            if (pendingHttp(c)) {
              openHttpConnections.incrementAndGet();
            }
          }

          @Override
          public void onClosed(Connection c) {
            if (pendingHttp(c)) {
              openHttpConnections.decrementAndGet();
              if (c.getMessagesIn() == 0) {
                closedIdle.increment();
              }
            }
          }
        });
    Gauge.builder("gossipnet.ws.http.pending", openHttpConnections, AtomicInteger::get)
        .description("open HTTP connections not upgraded to WebSocket")
        .register(meters);
    server.addConnector(connector);
    if (config.incomingConnectionsLimit() > 0) {
      server.addBean(new NetworkConnectionLimit(config.incomingConnectionsLimit() + ws.reservedHealthConnections(), connector));
    }
    server.setHandler(new RootHandler());
    // Requests Jetty answers itself: refused before any handler (400 malformed, 414, 431 a head
    // over maxHeaderSize) or failed in one (500).
    server.setErrorHandler(new org.eclipse.jetty.server.handler.ErrorHandler() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Object status = request.getAttribute(ERROR_STATUS);
        Counter.builder("gossipnet.ws.http.errors")
            .description("error responses Jetty made itself: requests refused before a handler (400, 414, 431) or failed in one")
            .tag("status", String.valueOf(status))
            .register(meters)
            .increment();
        return super.handle(request, response, callback);
      }
    });
    server.setStopTimeout(5_000);
    server.start();
    String scheme = ws.tls() ? "https" : "http";
    String host = hp.host();
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = localHostAddress();
    }
    String actual = scheme + "://" + host + ":" + connector.getLocalPort();
    listenAddress = config.publicAddress().isEmpty() ? actual : config.publicAddress();
    log.info("ws transport listening on {}://{}:{} (address {})", scheme, hp.host().isEmpty() ? "*" : hp.host(), connector.getLocalPort(), listenAddress);
  }

  private void trackLiveness(WsConnection conn) {
    if (!ws.pingInterval().isZero()) {
      conn.opened().thenRun(() -> live.add(conn));
      conn.closedFuture().thenRun(() -> live.remove(conn));
    }
  }

  /** Every ping interval / 2: ping silent connections, fail those silent past the pong timeout. */
  private void schedulePingCheck() {
    if (ws.pingInterval().isZero() || stopped) {
      return;
    }
    long period = Math.max(50, ws.pingInterval().toMillis() / 2);
    scheduler.schedule(() -> {
      long now = System.nanoTime();
      long ping = ws.pingInterval().toNanos();
      long pong = ws.pongTimeout().toNanos();
      live.removeIf(c -> {
        try {
          return !c.checkAlive(now, ping, pong);
        } catch (RuntimeException e) {
          log.debug("ping check of {} failed: {}", c, e.toString());
          return false;
        }
      });
      schedulePingCheck();
    }, period, TimeUnit.MILLISECONDS);
  }

  private static String localHostAddress() {
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /** The port the server listens on, or -1. */
  public int localPort() {
    ServerConnector c = connector;
    return c == null ? -1 : c.getLocalPort();
  }

  @Override
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    quietly(server);
    quietly(wsClient);
    quietly(httpClient);
    http.stop();
    quietly(components);
    quietly(scheduler);
    quietly(threadPool);
  }

  private static void quietly(org.eclipse.jetty.util.component.LifeCycle lc) {
    if (lc == null) {
      return;
    }
    try {
      lc.stop();
    } catch (Exception e) {
      log.debug("stopping {} failed: {}", lc, e.toString());
    }
  }

  @Override
  public Optional<String> listenAddress() {
    return Optional.ofNullable(listenAddress);
  }

  @Override
  public HttpHosting http() {
    return http;
  }

  // ---------------------------------------------------------------- dialing

  @Override
  public CompletableFuture<EstablishedConnection> dial(String address) {
    TransportContext ctx = context;
    if (ctx == null || stopped) {
      return CompletableFuture.failedFuture(new IOException("transport not running"));
    }
    String canonical;
    URI uri;
    try {
      canonical = WsAddresses.canonical(address);
      uri = WsAddresses.gossipUri(canonical, config.genesisId(), ws.gossipPath());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new IOException(e.getMessage(), e));
    }
    IdentityChallengeScheme identity = ctx.identity();
    IdentityChallengeScheme.Challenge challenge;
    try {
      challenge = identity == null ? null : identity.createChallenge(canonical);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new IOException("cannot challenge " + canonical + ": " + e.getMessage(), e));
    }
    WsConnection conn = new WsConnection(true, canonical, uri.getHost(), ws.maxOutstandingFrames(), ws.maxMessageSize());
    trackLiveness(conn);
    AtomicReference<HttpFields> responseHeaders = new AtomicReference<>();
    CoreClientUpgradeRequest request =
        new CoreClientUpgradeRequest(wsClient, uri) {
          @Override
          public org.eclipse.jetty.websocket.core.FrameHandler getFrameHandler() {
            return conn;
          }

          @Override
          public void onComplete(Result result) {
            if (result.getResponse() != null) {
              responseHeaders.compareAndSet(null, result.getResponse().getHeaders());
            }
            super.onComplete(result);
          }
        };
    request.timeout(ws.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    request.setConfiguration(sessionConfiguration());
    request.headers(
        h -> {
          writeHeaders(h, ws.protocolVersion());
          if (challenge != null) {
            h.put(ws.headers().identityChallenge(), challenge.headerValue());
          }
        });
    request.addListener(
        new UpgradeListener() {
          @Override
          public void onHandshakeResponse(org.eclipse.jetty.client.Request req, org.eclipse.jetty.client.Response resp) {
            responseHeaders.set(resp.getHeaders());
          }
        });
    CompletableFuture<CoreSession> connecting;
    try {
      connecting = wsClient.connect(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return connecting.handle(
        (session, error) -> {
          if (error != null) {
            throw new CompletionException(dialFailure(canonical, unwrap(error), responseHeaders.get()));
          }
          try {
            PeerHandshake hs = checkServerResponse(responseHeaders.get(), identity, challenge);
            return new EstablishedConnection(conn, hs);
          } catch (IOException e) {
            session.close(org.eclipse.jetty.websocket.core.CloseStatus.PROTOCOL, "handshake rejected", Callback.NOOP);
            session.abort();
            throw new CompletionException(e);
          }
        });
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private IOException dialFailure(String address, Throwable error, HttpFields headers) {
    UpgradeException ue = error instanceof UpgradeException u ? u : error.getCause() instanceof UpgradeException u2 ? u2 : null;
    if (ue != null && ue.getResponseStatusCode() > 0) {
      int status = ue.getResponseStatusCode();
      Duration retryAfter = null;
      if (headers != null) {
        retryAfter = parseRetryAfter(headers.get(HttpHeader.RETRY_AFTER));
      }
      String what = switch (status) {
        case 412 -> "peer refused the handshake (412 precondition failed)";
        case 508 -> "connected to ourselves (508 loop detected)";
        case 429 -> "peer rate-limited us (429)";
        case 503 -> "peer is full (503)";
        case 404 -> "peer has no gossip endpoint for our genesis (404)";
        default -> "handshake failed with status " + status;
      };
      return new HandshakeException(Sanitize.ascii(what + " at " + address), status, retryAfter);
    }
    if (error instanceof IOException io) {
      return io;
    }
    return new IOException("dial " + address + " failed: " + error, error);
  }

  static Duration parseRetryAfter(String v) {
    if (v == null) {
      return null;
    }
    try {
      long s = Long.parseLong(v.trim());
      return s > 0 ? Duration.ofSeconds(Math.min(s, 3600)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The seed's {@code checkServerResponseVariables} and the identity response check. */
  private PeerHandshake checkServerResponse(HttpFields h, IdentityChallengeScheme identity, IdentityChallengeScheme.Challenge challenge)
      throws IOException {
    if (h == null) {
      throw new HandshakeException("no handshake response headers", 0, null);
    }
    WsHeaderNames n = ws.headers();
    String version = negotiateVersion(h.getValuesList(n.acceptVersion()), h.get(n.version()));
    if (version == null) {
      throw new HandshakeException("peer responded with a mismatching protocol version " + Sanitize.ascii(h.get(n.version())), 0, null);
    }
    String random = h.get(n.nodeRandom());
    if (random == null || random.isEmpty()) {
      throw new HandshakeException("peer did not send its random ID", 0, null);
    }
    if (random.equals(ourRandom)) {
      throw new HandshakeException("connected to ourselves (same random ID)", 508, null);
    }
    String genesis = h.get(n.genesis());
    if (!config.genesisId().equals(genesis)) {
      throw new HandshakeException("peer has genesis " + Sanitize.ascii(genesis) + ", we have " + config.genesisId(), 0, null);
    }
    HandshakeIdentity id = HandshakeIdentity.NONE;
    if (identity != null && challenge != null) {
      try {
        id = identity.verifyResponse(h.get(n.identityChallenge()), challenge);
      } catch (IdentityException e) {
        identityErrors().increment();
        throw new HandshakeException("bad identity response: " + e.getMessage(), 0, null);
      }
    }
    return new PeerHandshake(version, features(h.get(n.peerFeatures())), Sanitize.ascii(h.get(n.telemetryId())), Sanitize.ascii(h.get(n.instanceName())), id);
  }

  private Counter identityErrors() {
    return Counter.builder("gossipnet.ws.identity.errors").description("malformed or wrongly signed identity challenge headers").register(meters);
  }

  /** The seed's {@code checkProtocolVersionMatch}: the first accepted version we support, else the peer's version. */
  String negotiateVersion(List<String> acceptVersions, String version) {
    return WsHandshakeCheck.negotiateVersion(ws.supportedVersions(), acceptVersions, version);
  }

  private static Set<String> features(String header) {
    return WsHandshakeCheck.features(header);
  }

  private void writeHeaders(HttpFields.Mutable h, String version) {
    WsHeaderNames n = ws.headers();
    if (!ws.telemetryGuid().isEmpty()) {
      h.put(n.telemetryId(), ws.telemetryGuid());
    }
    if (!ws.instanceName().isEmpty()) {
      h.put(n.instanceName(), ws.instanceName());
    }
    if (!config.publicAddress().isEmpty()) {
      h.put(n.location(), config.publicAddress());
    }
    h.put(n.nodeRandom(), ourRandom);
    h.put(n.genesis(), config.genesisId());
    h.put(n.version(), version);
    for (String v : ws.supportedVersions()) {
      h.add(n.acceptVersion(), v);
    }
    if (!ws.features().isEmpty()) {
      h.put(n.peerFeatures(), String.join(",", ws.features()));
    }
  }

  private Configuration.ConfigurationCustomizer sessionConfiguration() {
    Configuration.ConfigurationCustomizer c = new Configuration.ConfigurationCustomizer();
    c.setAutoFragment(false);
    c.setMaxFrameSize(ws.maxMessageSize());
    c.setMaxBinaryMessageSize(ws.maxMessageSize());
    c.setMaxTextMessageSize(1024);
    c.setInputBufferSize(ws.ioBufferSize());
    c.setOutputBufferSize(ws.ioBufferSize());
    // The engine closes idle peers; Jetty's own idle timeout only catches dead sockets after that.
    c.setIdleTimeout(config.idleTimeout().plus(config.idleCheckInterval()).plusMinutes(1));
    return c;
  }

  // ---------------------------------------------------------------- serving

  /** The remote host of a request: the socket's, or the last X-Forwarded-For value if configured. */
  private String remoteHost(Request request) {
    if (ws.useXForwardedFor()) {
      List<String> values = request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR);
      if (!values.isEmpty()) {
        String last = values.get(values.size() - 1);
        int comma = last.lastIndexOf(',');
        String v = (comma >= 0 ? last.substring(comma + 1) : last).trim();
        if (!v.isEmpty() && v.length() <= 64) {
          return v;
        }
      }
    }
    return Request.getRemoteAddr(request);
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1") || host.equals("[::1]");
  }

  /** The one handler of the server: limits, then the gossip endpoint or a registered HTTP handler. */
  private final class RootHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String host = remoteHost(request);
      String path = request.getHttpURI().getDecodedPath();
      if (path == null) {
        path = "/";
      }
      ConnectionMetaData cm = request.getConnectionMetaData();
      boolean exempt = ws.disableLocalhostConnectionRateLimit() && isLoopback(host);
      if (!exempt && cm.getAttribute(COUNTED_ATTRIBUTE) == null) {
        // Counted once per TCP connection, as the seed's listener does; keep-alive requests are free.
        cm.setAttribute(COUNTED_ATTRIBUTE, Boolean.TRUE);
        int n = rateTracker.register(host);
        if (n > 2 * rateTracker.limit()) {
          rateLimited.increment();
          // Over twice the rate the seed closes without answering.
          cm.getConnection().getEndPoint().close();
          callback.failed(new DroppedConnection("connection rate of " + host + " over twice the limit"));
          return true;
        }
        if (n > rateTracker.limit()) {
          rateLimited.increment();
          response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(rateTracker.retryAfterSeconds()));
          response.getHeaders().put(HttpHeader.CONNECTION, "close");
          writeText(response, callback, 429, "too many connections from your address");
          return true;
        }
      }
      if (config.incomingConnectionsLimit() > 0
          && openHttpConnections.get() > config.incomingConnectionsLimit()
          && !path.equals(STATUS_PATH)) {
        pendingRefused.increment();
        writeText(response, callback, 503, "too many pending connections");
        return true;
      }
      Map<String, String> vars = gossipTemplate.match(path);
      if (vars != null) {
        handleGossip(request, response, callback, host, vars);
        return true;
      }
      http.serve(request, response, callback, path);
      return true;
    }
  }

  static void writeText(Response response, Callback callback, int status, String text) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
  }

  private void refuse(Response response, Callback callback, int status, String text) {
    Counter.builder("gossipnet.ws.handshake.refused").tag("status", Integer.toString(status)).description("incoming handshakes refused").register(meters).increment();
    writeText(response, callback, status, text);
  }

  private void handleGossip(Request request, Response response, Callback callback, String host, Map<String, String> vars) throws Exception {
    TransportContext ctx = context;
    switch (ctx.admitIncoming(host)) {
      case GOSSIP_DISABLED -> {
        refuse(response, callback, 404, "gossip service disabled");
        return;
      }
      case TOTAL_LIMIT -> {
        refuse(response, callback, 503, "incoming connection limit reached");
        return;
      }
      case PER_IP_LIMIT -> {
        refuse(response, callback, 503, "incoming connection limit reached for your address");
        return;
      }
      case OK -> {}
    }
    HttpFields h = request.getHeaders();
    WsHeaderNames n = ws.headers();
    WsHandshakeCheck.Result checked = WsHandshakeCheck.check(ws, config.genesisId(), ourRandom, ctx.identity(), vars.get("genesisID"), h);
    if (!checked.accepted()) {
      if (checked.identityError() != null) {
        identityErrors().increment();
        log.info("peer {} sent an invalid identity challenge, abandoning peering: {}", host, checked.identityError());
      }
      refuse(response, callback, checked.status(), checked.text());
      return;
    }
    String version = checked.version();
    IdentityChallengeScheme.ChallengeReply reply = checked.reply();
    PeerHandshake hs = checked.handshake();
    String location = h.get(n.location());
    String address = peerAddress(location, host, Request.getRemotePort(request));
    WsConnection conn = new WsConnection(false, address, host, ws.maxOutstandingFrames(), ws.maxMessageSize());
    trackLiveness(conn);
    String responseChallenge = reply == null ? null : reply.headerValue();
    WebSocketNegotiator negotiator =
        new WebSocketNegotiator.AbstractNegotiator(sessionConfiguration()) {
          @Override
          public org.eclipse.jetty.websocket.core.FrameHandler negotiate(
              org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest req,
              org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse resp,
              Callback cb) {
            resp.setExtensions(List.of());
            HttpFields.Mutable out = resp.getHeaders();
            writeHeaders(out, version);
            if (responseChallenge != null) {
              out.put(n.identityChallenge(), responseChallenge);
            }
            return conn;
          }
        };
    conn.opened().thenAccept(s -> Thread.ofVirtual().name("gossipnet-ws-accept").start(() -> {
      try {
        if (ws.resolveLocationHost()) {
          resolveLocation(conn, location, host);
        }
        ctx.acceptIncoming(conn, hs);
      } catch (RuntimeException e) {
        log.warn("accepting {} failed", address, e);
        conn.close(io.gossipnet.core.DisconnectReason.NODE_SHUTDOWN, Duration.ZERO);
      }
    }));
    if (!handshaker.upgradeRequest(negotiator, request, response, callback, components, null)) {
      refuse(response, callback, 400, "not a WebSocket upgrade request");
    }
  }

  /** The incoming peer's address: its {@code Location} header if that names the host it connects from. */
  private static String peerAddress(String location, String host, int port) {
    if (location != null && !location.isEmpty() && location.length() <= 256) {
      try {
        String c = WsAddresses.canonical(location);
        String lh = WsAddresses.host(c);
        if (lh != null && (lh.equalsIgnoreCase(host) || stripBrackets(lh).equalsIgnoreCase(host))) {
          return c;
        }
      } catch (IllegalArgumentException e) {
        // fall through to the socket address
      }
    }
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port;
  }

  /**
   * When the {@code Location} host is a name (a container or DNS name) that resolves to the host the
   * peer connects from, names the peer by its Location, so the mesh sees it as connected and does
   * not dial it again. Runs on the accepting virtual thread; the JDK caches lookups.
   */
  private static void resolveLocation(WsConnection conn, String location, String host) {
    if (location == null || location.isEmpty() || location.length() > 256 || !conn.remoteAddress().startsWith("http://" + host + ":")
        && !conn.remoteAddress().startsWith("http://[" + host + "]:")) {
      return;
    }
    try {
      String c = WsAddresses.canonical(location);
      String name = stripBrackets(WsAddresses.host(c));
      InetAddress remote = InetAddress.getByName(host);
      for (InetAddress a : InetAddress.getAllByName(name)) {
        if (a.equals(remote)) {
          conn.setRemoteAddress(c);
          return;
        }
      }
    } catch (IllegalArgumentException | UnknownHostException | SecurityException e) {
      // keep the socket address
    }
  }

  private static String stripBrackets(String h) {
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /** {@code host:port} of a listen address; an empty host means every interface. */
  record HostPort(String host, int port) {
    static HostPort parse(String s) {
      String a = s.trim();
      if (a.contains("://")) {
        a = a.substring(a.indexOf("://") + 3);
      }
      int i = a.lastIndexOf(':');
      if (i < 0) {
        throw new IllegalArgumentException("listen address must be host:port: " + s);
      }
      String host = a.substring(0, i);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(a.substring(i + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in listen address: " + s, e);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("bad port in listen address: " + s);
      }
      return new HostPort(host, port);
    }
  }

  /** A connection dropped on purpose; not worth a stack trace in Jetty's log. */
  private static final class DroppedConnection extends IOException implements org.eclipse.jetty.io.QuietException {
    private static final long serialVersionUID = 1L;

    DroppedConnection(String message) {
      super(message);
    }
  }

  private static boolean pendingHttp(Connection c) {
    return !(c instanceof org.eclipse.jetty.websocket.core.WebSocketConnection)
        && !(c instanceof org.eclipse.jetty.io.ssl.SslConnection);
  }

  /** For tests: the most frames outstanding on one live connection now (each at most {@link WsConfig#maxOutstandingFrames()}). */
  int mostOutstandingFrames() {
    return live.stream().mapToInt(WsConnection::outstandingFrames).max().orElse(0);
  }

  /** For tests and dumps: open HTTP (not yet upgraded) connections. */
  int openHttpConnections() {
    return openHttpConnections.get();
  }

  @Override
  public String toString() {
    return "WsTransport[" + listenAddress + "]";
  }
}
