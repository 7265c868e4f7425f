package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.Host;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.multiformats.Varint;
import io.gossipnet.libp2p.protocol.IdentifyInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT node on a {@link Host}. Requests are one length-prefixed message per stream
 * (and one reply, except for ADD_PROVIDER), as js and go send them; as a server it answers any
 * number of requests per stream. Peers enter the routing table when identify lists our DHT
 * protocol or when they answer a query.
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
    this.providers = new ProviderStore(config.providerTtl().toNanos(), config.maxProvidersPerKey());
  }

  /**
   * Starts the DHT: serves the protocol in server mode, admits identified peers that serve it,
   * connects to the bootstrap peers and runs a self-lookup, then refreshes and re-provides
   * periodically.
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
    });
    host.connections().forEach(c -> dht.workers.execute(() -> dht.admit(c)));
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

  /** Connects to the bootstrap peers and looks ourselves up to fill the routing table. */
  public void bootstrap() {
    for (Multiaddr a : config.bootstrap()) {
      try {
        Connection c = host.dial(a).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        admit(c);
      } catch (Exception e) {
        LOG.debug("bootstrap peer {} unreachable: {}", a, e.toString());
      }
    }
    refresh();
  }

  private void refresh() {
    if (!closed && table.size() > 0) {
      findClosestPeers(self.toBytes());
    }
  }

  /** The K peers closest to {@code key} (iterative FIND_NODE). */
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
   */
  public int provide(byte[] multihash) {
    KadPeer me = new KadPeer(self, host.listenAddresses());
    providers.add(multihash, me);
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
        f.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        sent++;
      } catch (Exception e) {
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

  /** Up to {@code count} providers of {@code multihash}: local records first, then an iterative GET_PROVIDERS. */
  public List<KadPeer> findProviders(byte[] multihash, int count) {
    Map<PeerId, KadPeer> found = new LinkedHashMap<>();
    providers.get(multihash).forEach(p -> found.put(p.id(), p));
    if (found.size() < count) {
      query(multihash, KadMessage.Type.GET_PROVIDERS, count).providers().forEach(p -> found.putIfAbsent(p.id(), p));
    }
    return found.values().stream().limit(count).toList();
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
        return;
      }
      List<Multiaddr> addrs = info.listenAddresses().isEmpty() ? List.of(c.remoteAddress()) : info.listenAddresses();
      addPeer(new KadPeer(c.remotePeerId(), addrs));
    } catch (Exception e) {
      LOG.debug("not admitting {}: {}", c.remotePeerId(), e.toString());
    }
  }

  private void addPeer(KadPeer p) {
    if (p.id().equals(self)) {
      return;
    }
    if (table.add(p, this::ping)) {
      count("table.added");
    }
  }

  // ---------------------------------------------------------------- iterative queries

  private record QueryResult(List<KadPeer> closest, List<KadPeer> providers) {}

  /**
   * An iterative query: ask the ALPHA closest not yet asked peers in parallel, merge the closer
   * peers they return, and stop when the K closest known peers have all answered or failed, when
   * enough providers were found, or at the query deadline.
   */
  private QueryResult query(byte[] key, KadMessage.Type type, int wantProviders) {
    KadKey target = KadKey.of(key);
    Comparator<KadPeer> byDistance = Comparator.comparing((KadPeer p) -> KadKey.of(p.id().toBytes()),
        target::compareDistance);
    Map<PeerId, KadPeer> candidates = new LinkedHashMap<>();
    table.closest(target, config.k()).forEach(p -> candidates.put(p.id(), p));
    Set<PeerId> asked = new HashSet<>();
    Set<PeerId> answered = new HashSet<>();
    Map<PeerId, KadPeer> found = new LinkedHashMap<>();
    ExecutorCompletionService<Object[]> cs = new ExecutorCompletionService<>(workers);
    int inFlight = 0;
    long deadline = System.nanoTime() + config.queryTimeout().toNanos();
    KadMessage req = KadMessage.request(type, key);
    while (true) {
      List<KadPeer> sorted = candidates.values().stream().sorted(byDistance).toList();
      List<KadPeer> topK = sorted.stream().filter(p -> !asked.contains(p.id()) || answered.contains(p.id()))
          .limit(config.k()).toList();
      for (KadPeer p : topK) {
        if (inFlight >= config.alpha()) {
          break;
        }
        if (asked.add(p.id())) {
          inFlight++;
          cs.submit(() -> {
            try {
              return new Object[] {p, request(p, req, true)};
            } catch (Exception e) {
              return new Object[] {p, null};
            }
          });
        }
      }
      if (inFlight == 0 || (wantProviders > 0 && found.size() >= wantProviders)) {
        break;
      }
      long left = deadline - System.nanoTime();
      Future<Object[]> done;
      try {
        done = left > 0 ? cs.poll(left, TimeUnit.NANOSECONDS) : null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (done == null) {
        count("query.timeout");
        break;
      }
      inFlight--;
      Object[] r;
      try {
        r = done.get();
      } catch (Exception e) {
        continue;
      }
      KadPeer p = (KadPeer) r[0];
      KadMessage reply = (KadMessage) r[1];
      if (reply == null) {
        candidates.remove(p.id()); // failed: not among the closest we report
        continue;
      }
      answered.add(p.id());
      addPeer(p);
      for (KadPeer c : reply.closer()) {
        if (!c.id().equals(self)) {
          candidates.merge(c.id(), c, (a, b) -> a.addresses().isEmpty() ? b : a);
        }
      }
      for (KadPeer pr : reply.providers()) {
        found.putIfAbsent(pr.id(), pr);
      }
    }
    List<KadPeer> closest = candidates.values().stream().filter(p -> answered.contains(p.id())
        || !asked.contains(p.id())).sorted(byDistance).limit(config.k()).toList();
    count("query." + type.name().toLowerCase());
    return new QueryResult(closest, new ArrayList<>(found.values()));
  }

  // ---------------------------------------------------------------- wire

  private Connection connect(KadPeer p) throws Exception {
    for (Connection c : host.connections(p.id())) {
      if (c.isOpen()) {
        return c;
      }
    }
    Exception last = new IOException("no address for " + p.id());
    for (Multiaddr a : p.addresses()) {
      try {
        return host.dial(a.withoutPeerId().withPeerId(p.id()))
            .get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        last = e;
      }
    }
    throw last;
  }

  /** One request on a fresh stream; the reply, or null when none is expected. */
  private KadMessage request(KadPeer p, KadMessage msg, boolean expectReply) throws Exception {
    Connection c = connect(p);
    Stream s = c.newStream(config.protocolId()).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try {
      s.setReadTimeout(config.requestTimeout());
      write(s, msg);
      if (!expectReply) {
        s.closeWrite();
        return null;
      }
      KadMessage reply = read(s.in());
      if (reply == null) {
        throw new IOException("stream closed before the reply");
      }
      return reply;
    } finally {
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
    long len = Varint.read(in);
    if (len < 0) {
      return null;
    }
    if (len > config.maxMessageSize()) {
      throw new IllegalArgumentException("DHT message of " + len + " bytes exceeds " + config.maxMessageSize());
    }
    byte[] body = in.readNBytes((int) len);
    if (body.length != len) {
      throw new IOException("truncated DHT message");
    }
    return KadMessage.decode(body, config.maxMessageSize());
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
      KadMessage reply = handle(from, m);
      if (reply == null) {
        if (m.type() == KadMessage.Type.PUT_VALUE) {
          s.reset();
          return;
        }
        continue;
      }
      write(s, reply);
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
          if (p.id().equals(from) && !p.addresses().isEmpty() && key.length > 0) {
            providers.add(key, p);
            count("provider.added");
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
    counters.computeIfAbsent(name, k -> new LongAdder()).increment();
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
