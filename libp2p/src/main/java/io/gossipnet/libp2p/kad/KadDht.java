package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT node on a {@link Host}. Requests are one length-prefixed message per stream
 * (and one reply, except for ADD_PROVIDER), as js and go send them; as a server it answers any
 * number of requests per stream. Peers enter the routing table when identify lists our DHT
 * protocol (server mode), including peers that answered one of our queries.
 *
 * <p>Iterative queries run over one path, or over {@link KadConfig#disjointPaths()} disjoint
 * paths (S/Kademlia, see {@link KadConfig#withDisjointPaths(int)}), each with ALPHA requests in
 * flight and within the request and query timeouts.
 *
 * <p>Values (PUT_VALUE/GET_VALUE) are disabled, as in go-algorand: GET_VALUE is answered with
 * closer peers only and PUT_VALUE resets the stream. Counters: {@link #metric(String)}.
 */
public final class KadDht implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

  private final Host host;
  private final KadConfig config;
  private final PeerId self;
  private final RoutingTable table;
  private final ProviderStore providers;
  /** Keys we provide, re-announced every reprovide interval. */
  private final Set<KadKeyBytes> provided = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kad-timer").daemon().factory());
  private volatile boolean closed;
  /** Set once the start-up bootstrap has run; from then on the first admitted peer may trigger the self-lookup. */
  private volatile boolean bootstrapped;
  /** True until a self-lookup ran with at least one peer in the table. */
  private final AtomicBoolean selfLookupPending = new AtomicBoolean(true);

  private record KadKeyBytes(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof KadKeyBytes k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private KadDht(Host host, KadConfig config) {
    this.host = host;
    this.config = config;
    this.self = host.peerId();
    this.table = new RoutingTable(self, config.k());
    this.providers = new ProviderStore(config.providerTtl().toNanos(), config.maxProvidersPerKey(),
        config.maxProviderRecords());
  }

  /**
   * Starts the DHT: serves the protocol in server mode, admits identified peers that serve it,
   * connects to the bootstrap peers and runs a self-lookup (or, when there is nobody to ask yet,
   * runs it as soon as the first peer is admitted), then refreshes and re-provides periodically.
   */
  public static KadDht start(Host host, KadConfig config) {
    KadDht dht = new KadDht(host, config);
    if (config.serverMode()) {
      host.setStreamHandler(config.protocolId(), dht::serve);
    }
    host.addConnectionListener(new ConnectionListener() {
      @Override
      public void connected(Connection connection) {
        if (!dht.closed) { // the host keeps its listeners after we close
          Thread.ofVirtual().start(() -> dht.admit(connection));
        }
      }

      @Override
      public void identifyPushed(Connection connection, IdentifyInfo info) {
        if (!dht.closed) {
          Thread.ofVirtual().start(() -> dht.reconsider(connection, info));
        }
      }
    });
    dht.workers.execute(dht::bootstrap);
    long refresh = config.refreshInterval().toMillis();
    dht.timer.scheduleAtFixedRate(() -> dht.workers.execute(dht::refresh), refresh, refresh, TimeUnit.MILLISECONDS);
    long reprovide = config.reprovideInterval().toMillis();
    dht.timer.scheduleAtFixedRate(() -> dht.workers.execute(dht::reprovide), reprovide, reprovide,
        TimeUnit.MILLISECONDS);
    dht.timer.scheduleAtFixedRate(dht.providers::expire, 1, 1, TimeUnit.MINUTES);
    return dht;
  }

  /** The configuration. */
  public KadConfig config() {
    return config;
  }

  /** Peers in the routing table. */
  public int routingTableSize() {
    return table.size();
  }

  /** Whether {@code id} is in the routing table. */
  public boolean inRoutingTable(PeerId id) {
    return table.get(id) != null;
  }

  /** The value of one counter, e.g. {@code request.malformed}; 0 if never counted. */
  public long metric(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /** All counters by name. */
  public Map<String, Long> metrics() {
    Map<String, Long> m = new TreeMap<>();
    counters.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /**
   * Admits the peers we are already connected to, connects to the bootstrap peers and looks
   * ourselves up to fill the routing table. If the table is still empty, the self-lookup runs when
   * the first peer is admitted.
   */
  public void bootstrap() {
    for (Connection c : host.connections()) {
      admit(c);
    }
    dialBootstrapPeers();
    bootstrapped = true; // from here on, the first admitted peer triggers the pending self-lookup
    if (table.size() > 0 && selfLookupPending.compareAndSet(true, false)) {
      selfLookup();
    }
  }

  private void dialBootstrapPeers() {
    for (Multiaddr a : config.bootstrap()) {
      try {
        Connection c = host.dial(a).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        admit(c);
      } catch (Exception e) {
        count("bootstrap.failed");
        LOG.debug("bootstrap peer {} unreachable: {}", a, e.toString());
      }
    }
  }

  /** The periodic refresh: dial the bootstrap peers again while the table is empty, then a self-lookup. */
  private void refresh() {
    if (closed) {
      return;
    }
    if (table.size() == 0) {
      dialBootstrapPeers();
    }
    if (table.size() > 0) {
      selfLookupPending.set(false);
      selfLookup();
    }
  }

  private void selfLookup() {
    if (!closed) {
      count("refresh");
      findClosestPeers(self.toBytes());
    }
  }

  /**
   * The K peers closest to {@code key} (iterative FIND_NODE). With {@link KadConfig#disjointPaths()}
   * {@code d >= 2} these are the K closest over all {@code d} paths.
   */
  public List<KadPeer> findClosestPeers(byte[] key) {
    return query(key, KadMessage.Type.FIND_NODE, 0).closest();
  }

  /** Finds a peer's addresses: from the routing table, or by an iterative FIND_NODE. */
  public Optional<KadPeer> findPeer(PeerId id) {
    KadPeer known = table.get(id);
    if (known != null && !known.addresses().isEmpty()) {
      return Optional.of(known);
    }
    return findClosestPeers(id.toBytes()).stream().filter(p -> p.id().equals(id) && !p.addresses().isEmpty())
        .findFirst();
  }

  /**
   * Announces that we provide {@code multihash}: stores it locally and sends ADD_PROVIDER (with our
   * listen addresses) to the K closest peers. Returns how many peers it was sent to; the record is
   * re-announced every reprovide interval.
   *
   * @throws IllegalArgumentException if {@code multihash} is not a multihash of at most 80 bytes
   */
  public int provide(byte[] multihash) {
    requireProviderKey(multihash);
    KadPeer me = new KadPeer(self, host.listenAddresses());
    providers.add(multihash, me, true);
    provided.add(new KadKeyBytes(multihash.clone()));
    KadMessage add = new KadMessage(KadMessage.Type.ADD_PROVIDER, multihash, null, List.of(), List.of(me));
    int sent = 0;
    List<Future<?>> fs = new ArrayList<>();
    for (KadPeer p : findClosestPeers(multihash)) {
      fs.add(workers.submit(() -> {
        request(p, add, false);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      try {
        f.get(config.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        sent++;
      } catch (Exception e) {
        f.cancel(true);
        count("provide.failed");
      }
    }
    count("provide");
    return sent;
  }

  private void reprovide() {
    for (KadKeyBytes k : provided) {
      if (closed) {
        return;
      }
      provide(k.bytes());
    }
  }

  /**
   * Up to {@code count} providers of {@code multihash}: local records first, then an iterative
   * GET_PROVIDERS, which stops once {@code count} providers were found (with disjoint paths: and
   * every path has found one or ended; the providers then alternate between paths).
   *
   * @throws IllegalArgumentException if {@code multihash} is not a multihash of at most 80 bytes
   */
  public List<KadPeer> findProviders(byte[] multihash, int count) {
    return findProviders(multihash, count, config.queryTimeout());
  }

  /**
   * As {@link #findProviders(byte[], int)}, but the lookup ends after {@code timeout} (or the
   * query timeout, if shorter) with the providers found until then, as go's {@code FindPeers}
   * channel gives what arrived before its context ends.
   *
   * @throws IllegalArgumentException if {@code multihash} is not a multihash of at most 80 bytes,
   *     or {@code timeout} is not positive
   */
  public List<KadPeer> findProviders(byte[] multihash, int count, Duration timeout) {
    requireProviderKey(multihash);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    Duration bound = timeout.compareTo(config.queryTimeout()) < 0 ? timeout : config.queryTimeout();
    Map<PeerId, KadPeer> found = new LinkedHashMap<>();
    providers.get(multihash).forEach(p -> found.put(p.id(), p));
    if (found.size() < count) {
      query(multihash, KadMessage.Type.GET_PROVIDERS, count, bound).providers()
          .forEach(p -> found.putIfAbsent(p.id(), p));
    }
    return found.values().stream().limit(count).toList();
  }

  private static void requireProviderKey(byte[] key) {
    if (!KadMessage.isProviderKey(key)) {
      throw new IllegalArgumentException("a provider key must be a multihash of at most "
          + KadMessage.MAX_PROVIDER_KEY + " bytes");
    }
  }

  /** Sends a DHT PING to a peer we can reach; true if it answered. */
  public boolean ping(KadPeer peer) {
    try {
      KadMessage r = request(peer, KadMessage.request(KadMessage.Type.PING, null), true);
      return r != null && r.type() == KadMessage.Type.PING;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    workers.shutdownNow();
    if (config.serverMode()) {
      host.removeStreamHandler(config.protocolId());
    }
  }

  // ---------------------------------------------------------------- routing table admission

  private void admit(Connection c) {
    try {
      IdentifyInfo info = c.identify().get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!info.protocols().contains(config.protocolId())) {
        count("table.not_serving"); // a client, or another network's DHT
        return;
      }
      List<Multiaddr> addrs = info.listenAddresses().isEmpty() ? List.of(c.remoteAddress()) : info.listenAddresses();
      addPeer(new KadPeer(c.remotePeerId(), addrs));
    } catch (Exception e) {
      LOG.debug("not admitting {}: {}", c.remotePeerId(), e.toString());
    }
  }

  /**
   * An identify push changed what a connected peer serves: admit it once it lists our protocol,
   * drop it from the table when it stops (go-libp2p-kad-dht does the same on protocol updates).
   */
  private void reconsider(Connection c, IdentifyInfo info) {
    if (info.protocols().contains(config.protocolId())) {
      if (table.get(c.remotePeerId()) == null) {
        count("table.admitted_on_push");
        admit(c);
      }
    } else if (table.get(c.remotePeerId()) != null) {
      table.remove(c.remotePeerId());
      count("table.removed_on_push");
    }
  }

  /**
   * A peer answered one of our queries: admit it with the addresses it announces itself (identify
   * on our connection to it), not the ones a third party reported. Runs off the query thread, as a
   * full bucket's liveness check may take a request timeout.
   */
  private void answered(KadPeer p) {
    if (closed) {
      return;
    }
    try {
      workers.execute(() -> host.connections(p.id()).stream().filter(Connection::isOpen).findFirst()
          .ifPresentOrElse(this::admit, () -> addPeer(p)));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void addPeer(KadPeer p) {
    if (p.id().equals(self) || closed) {
      return;
    }
    if (table.add(p, this::ping)) {
      count("table.added");
      if (bootstrapped && selfLookupPending.compareAndSet(true, false)) {
        workers.execute(this::selfLookup); // started alone: look ourselves up now that someone can answer
      }
    }
  }

  // ---------------------------------------------------------------- iterative queries

  /**
   * An iterative query over {@link KadConfig#lookupPaths()} disjoint paths (see {@link Lookup}),
   * each request bounded by the request timeout and the whole by the query timeout.
   */
  Lookup.Result query(byte[] key, KadMessage.Type type, int wantProviders) {
    return query(key, type, wantProviders, config.queryTimeout());
  }

  private Lookup.Result query(byte[] key, KadMessage.Type type, int wantProviders, Duration timeout) {
    KadKey target = KadKey.of(key);
    KadMessage req = KadMessage.request(type, key);
    Lookup lookup = new Lookup(target, self, config.k(), config.alpha(), config.lookupPaths(), wantProviders,
        timeout, workers, p -> request(p, req, true), this::answered, this::add);
    Lookup.Result r = lookup.run(table.closest(target, config.k()));
    count("query." + type.name().toLowerCase());
    return r;
  }

  // ---------------------------------------------------------------- wire

  private static long left(long deadline) throws TimeoutException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new TimeoutException("DHT request timed out");
    }
    return left;
  }

  private Connection connect(KadPeer p, long deadline) throws Exception {
    for (Connection c : host.connections(p.id())) {
      if (c.isOpen()) {
        return c;
      }
    }
    Exception last = new IOException("no address for " + p.id());
    for (Multiaddr a : p.addresses()) {
      try {
        return host.dial(a.withoutPeerId().withPeerId(p.id())).get(left(deadline), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * One request on a fresh stream; the reply, or null when none is expected. The whole request
   * (dial, stream, write, reply) must finish within the request timeout: at the deadline the stream
   * is reset, so a peer that drips its reply byte by byte cannot hold the request longer.
   */
  private KadMessage request(KadPeer p, KadMessage msg, boolean expectReply) throws Exception {
    long deadline = System.nanoTime() + config.requestTimeout().toNanos();
    Connection c = connect(p, deadline);
    Stream s = c.newStream(config.protocolId()).get(left(deadline), TimeUnit.NANOSECONDS);
    ScheduledFuture<?> guard;
    try {
      guard = timer.schedule(s::reset, left(deadline), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException | TimeoutException e) {
      s.reset();
      throw e;
    }
    try {
      s.setReadTimeout(Duration.ofNanos(left(deadline)));
      write(s, msg);
      if (!expectReply) {
        s.closeWrite();
        return null;
      }
      KadMessage reply;
      try {
        reply = read(s.in());
      } catch (IllegalArgumentException e) {
        count("response.malformed");
        throw e;
      }
      if (reply == null) {
        throw new IOException("stream closed before the reply");
      }
      if (reply.type() != msg.type()) {
        count("response.malformed");
        throw new IOException("reply of type " + reply.type() + " to " + msg.type());
      }
      return reply;
    } finally {
      guard.cancel(false);
      s.close();
    }
  }

  private static void write(Stream s, KadMessage m) throws IOException {
    byte[] body = m.encode();
    ByteArrayOutputStream b = new ByteArrayOutputStream(body.length + 4);
    Varint.write(b, body.length);
    b.writeBytes(body);
    s.out().write(b.toByteArray());
    s.out().flush();
  }

  /** Reads one message; null at end of stream. Throws IllegalArgumentException when it is too big or malformed. */
  private KadMessage read(InputStream in) throws IOException {
    long len = readLength(in);
    if (len < 0) {
      return null;
    }
    if (len > config.maxMessageSize()) {
      throw new IllegalArgumentException("DHT message of " + len + " bytes exceeds " + config.maxMessageSize());
    }
    byte[] body = in.readNBytes((int) len);
    if (body.length != len) {
      throw new IllegalArgumentException("DHT message truncated at " + body.length + " of " + len + " bytes");
    }
    return KadMessage.decode(body, config.maxMessageSize());
  }

  /** The varint length prefix; -1 at end of stream; IllegalArgumentException if cut short or too long. */
  private static long readLength(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < Varint.MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new IllegalArgumentException("DHT message length prefix cut short");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("DHT message length prefix longer than " + Varint.MAX_BYTES + " bytes");
  }

  /** Serves requests on an inbound stream until the remote closes it. */
  private void serve(Stream s) throws IOException {
    s.setReadTimeout(Duration.ofSeconds(60));
    PeerId from = s.connection().remotePeerId();
    while (!closed) {
      KadMessage m;
      try {
        m = read(s.in());
      } catch (IllegalArgumentException e) {
        count("request.malformed");
        LOG.debug("{} sent a bad DHT message: {}", from, e.getMessage());
        s.reset();
        return;
      }
      if (m == null) {
        return;
      }
      count("request." + m.type().name().toLowerCase());
      boolean providerRequest = m.type() == KadMessage.Type.GET_PROVIDERS || m.type() == KadMessage.Type.ADD_PROVIDER;
      if (providerRequest && !KadMessage.isProviderKey(m.key())) {
        count("request.bad_key"); // as go and js: provider keys are multihashes (go: at most 80 bytes)
        LOG.debug("{} sent {} with a key that is not a multihash", from, m.type());
        s.reset();
        return;
      }
      KadMessage reply = handle(from, m);
      if (reply == null) {
        if (m.type() == KadMessage.Type.PUT_VALUE) {
          s.reset();
          return;
        }
        continue;
      }
      write(s, reply.fitTo(config.maxMessageSize()));
    }
  }

  private KadMessage handle(PeerId from, KadMessage m) {
    byte[] key = m.key() == null ? new byte[0] : m.key();
    return switch (m.type()) {
      case PING -> KadMessage.request(KadMessage.Type.PING, null);
      case FIND_NODE -> new KadMessage(m.type(), key, null, closerPeers(key, from), List.of());
      case GET_PROVIDERS -> new KadMessage(m.type(), key, null, closerPeers(key, from), providers.get(key));
      case GET_VALUE -> {
        count("values.refused");
        yield new KadMessage(m.type(), key, null, closerPeers(key, from), List.of());
      }
      case PUT_VALUE -> {
        count("values.refused");
        yield null;
      }
      case ADD_PROVIDER -> {
        for (KadPeer p : m.providers()) {
          // only the provider itself may announce, and it must say where it is
          if (p.id().equals(from) && !p.addresses().isEmpty()) {
            if (providers.add(key, p, false)) {
              count("provider.added");
            } else {
              count("provider.store_full");
            }
          } else {
            count("provider.rejected");
          }
        }
        yield null;
      }
    };
  }

  private List<KadPeer> closerPeers(byte[] key, PeerId requester) {
    return table.closest(KadKey.of(key), config.k() + 1).stream().filter(p -> !p.id().equals(requester))
        .limit(config.k()).toList();
  }

  private void count(String name) {
    add(name, 1);
  }

  private void add(String name, long n) {
    counters.computeIfAbsent(name, k -> new LongAdder()).add(n);
  }

  /** Completes when the routing table has at least {@code n} peers (polling), for callers that wait for bootstrap. */
  public CompletableFuture<Void> awaitPeers(int n, Duration timeout) {
    return CompletableFuture.runAsync(() -> {
      long end = System.nanoTime() + timeout.toNanos();
      while (table.size() < n && System.nanoTime() < end && !closed) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (table.size() < n) {
        throw new IllegalStateException("routing table has " + table.size() + " peers, wanted " + n);
      }
    }, workers);
  }
}
