package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerConnectionInfo;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.filter.IncomingDuplicateFilter;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.memory.MemoryNetwork;
import io.gossipnet.core.memory.MemoryTransport;
import io.gossipnet.core.memory.StubPeer;
import io.gossipnet.core.mesh.JitterBackoff;
import io.gossipnet.core.phonebook.Phonebook;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.core.spi.Transport;
import io.gossipnet.core.spi.TransportContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an engine is put together: every piece comes from the builder or from a {@code create*()}
 * hook of the builder at {@code build()}; the clock, the scheduler and the mesher's backoff are
 * injectable; peers carry the remote's stable id; the transport's own connection list is what
 * {@code TRANSPORT_CONNECTIONS_*} report.
 */
class EngineConstructionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MemoryNetwork net = new MemoryNetwork();
  private final List<NetworkEngine> nodes = new ArrayList<>();
  private final List<StubPeer> stubs = new ArrayList<>();

  @AfterEach
  void stopAll() {
    stubs.forEach(StubPeer::close);
    nodes.forEach(NetworkEngine::stop);
  }

  private static NetworkConfig.Builder config(String name) {
    return NetworkConfig.builder("test-genesis").listenAddress("mem://" + name).publicAddress("mem://" + name);
  }

  private NetworkEngine start(NetworkEngine n) {
    nodes.add(n);
    n.start();
    return n;
  }

  private StubPeer stub(NetworkEngine node, String name, PeerHandshake hs) throws IOException {
    StubPeer s = StubPeer.connect(net, name, node.address().orElseThrow(), hs, true);
    stubs.add(s);
    return s;
  }

  @Test
  void aSubclassedBuilderChangesADefaultThroughItsCreateHookAtBuildTime() {
    AtomicInteger phonebooksMade = new AtomicInteger();
    IncomingDuplicateFilter ownFilter = new IncomingDuplicateFilter();
    NetworkEngine.Builder b =
        new NetworkEngine.Builder(config("a").build(), net.transport("a")) {
          @Override
          protected Phonebook createPhonebook(LongSupplier clock) {
            phonebooksMade.incrementAndGet();
            Phonebook pb = super.createPhonebook(clock);
            pb.replacePeerList(List.of("mem://relay-from-hook"), "default", io.gossipnet.core.phonebook.Role.RELAY);
            return pb;
          }

          @Override
          protected IncomingDuplicateFilter createIncomingFilter() {
            return ownFilter;
          }
        };
    assertThat(phonebooksMade).as("no hook runs before build()").hasValue(0);
    NetworkEngine node = b.build();
    assertThat(phonebooksMade).hasValue(1);
    assertThat(node.incomingFilter()).isSameAs(ownFilter);
    assertThat(node.getPeers(PeerOption.PHONEBOOK_RELAYS)).hasSize(1);
  }

  @Test
  void theDefaultPhonebookHoldsTheConfiguredRelaysAsPersistentRelaysUnderTheRateLimit() {
    NetworkConfig config =
        NetworkConfig.builder("testnet").relayPeers(List.of("r1:4160", "r2:4160")).connectionsRateLimitingCount(2).build();
    Phonebook pb = NetworkEngine.defaultPhonebook(config, () -> 1_000_000_000L);
    assertThat(pb.isPersistent("r1:4160", io.gossipnet.core.phonebook.Role.RELAY)).isTrue();
    assertThat(pb.isPersistent("r2:4160", io.gossipnet.core.phonebook.Role.RELAY)).isTrue();
    assertThat(pb.networks("r1:4160")).containsExactly("testnet");
    pb.getConnectionWaitTime("r1:4160");
    pb.getConnectionWaitTime("r1:4160");
    assertThat(pb.getConnectionWaitTime("r1:4160").mustWait()).isTrue();
  }

  @Test
  void anInjectedPhonebookAndMultiplexerAreTheOnesUsed() {
    Phonebook pb = NetworkEngine.defaultPhonebook(config("a").build(), System::nanoTime);
    Multiplexer mux = new Multiplexer();
    NetworkEngine node = NetworkEngine.builder(config("a").build(), net.transport("a")).phonebook(pb).multiplexer(mux).build();
    assertThat(node.phonebook()).isSameAs(pb);
    assertThat(node.multiplexer()).isSameAs(mux);
  }

  @Test
  void anInjectedMeshStrategyRunsOnTheMeshersThreadAtTheConfiguredRate() {
    AtomicInteger passes = new AtomicInteger();
    start(NetworkEngine.builder(config("a").meshInterval(Duration.ofMillis(20)).build(), net.transport("a"))
        .meshStrategy(target -> {
          passes.incrementAndGet();
          return 0;
        })
        .build());
    await().atMost(WAIT).until(() -> passes.get() >= 5);
  }

  @Test
  void withTheJitterBackoffSwitchedOnEmptyPassesBackOff() {
    AtomicInteger passes = new AtomicInteger();
    JitterBackoff hourLong = new JitterBackoff(Duration.ofHours(1), Duration.ofHours(2), 2.0, new Random(1));
    start(NetworkEngine.builder(config("a").meshInterval(Duration.ofMillis(20)).build(), net.transport("a"))
        .meshStrategy(target -> {
          passes.incrementAndGet();
          return 0;
        })
        .meshBackoff(hourLong)
        .build());
    await().atMost(WAIT).until(() -> passes.get() >= 1);
    // A fixed-rate mesher would have run about 25 passes in this time.
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> passes.get() <= 2);
  }

  @Test
  void theInjectedClockDrivesTheIdleCheck() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    NetworkConfig cfg =
        config("a")
            .idleTimeout(Duration.ofMinutes(5))
            .idleCheckInterval(Duration.ofMillis(20))
            .slowWriterCheckInterval(Duration.ofMillis(20))
            .build();
    NetworkEngine node = start(NetworkEngine.builder(cfg, net.transport("a")).clock(now::get).build());
    StubPeer quiet = stub(node, "quiet", PeerHandshake.basic(MemoryTransport.PROTOCOL_VERSION));
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    assertThat(quiet.isClosed()).isFalse();

    now.addAndGet(Duration.ofMinutes(6).toNanos());

    await().atMost(WAIT).until(quiet::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.IDLE_CONNECTION)).isEqualTo(1);
  }

  @Test
  void anInjectedSchedulerRunsTheTimersAndOutlivesTheEngine() throws Exception {
    ScheduledExecutorService shared = Executors.newSingleThreadScheduledExecutor();
    try {
      NetworkEngine node =
          NetworkEngine.builder(config("a").idleCheckInterval(Duration.ofMillis(20)).slowWriterCheckInterval(Duration.ofMillis(20)).build(), net.transport("a"))
              .scheduler(shared)
              .build();
      node.start();
      node.stop();
      assertThat(shared.isShutdown()).isFalse();
      assertThat(shared.schedule(() -> 42, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS)).isEqualTo(42);
    } finally {
      shared.shutdownNow();
    }
  }

  @Test
  void aPeerCarriesTheRemotesStableId() throws Exception {
    NetworkEngine node = start(NetworkEngine.builder(config("a").build(), net.transport("a")).build());
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 9);
    stub(node, "by-peer-id", new PeerHandshake(MemoryTransport.PROTOCOL_VERSION, Set.of(), "", "", new HandshakeIdentity.TransportAuthenticated(key), "12D3KooWExample"));
    stub(node, "by-address", PeerHandshake.basic(MemoryTransport.PROTOCOL_VERSION));
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 2);

    WsPeer byId = peerAt(node, "by-peer-id");
    WsPeer byAddress = peerAt(node, "by-address");
    assertThat(byId.stableId()).isEqualTo("12D3KooWExample");
    assertThat(byAddress.stableId()).isEqualTo(byAddress.address());
  }

  @Test
  void aVerifiedIdentityKeyIsTheStableIdWhenTheTransportNamesNone() throws Exception {
    NetworkEngine node = start(NetworkEngine.builder(config("a").build(), net.transport("a")).identityTracker(io.gossipnet.core.identity.IdentityTracker.create()).build());
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 5);
    stub(node, "keyed", new PeerHandshake(MemoryTransport.PROTOCOL_VERSION, Set.of(), "", "", new HandshakeIdentity.TransportAuthenticated(key)));
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    assertThat(node.connectedPeers().get(0).stableId()).isEqualTo(HexFormat.of().formatHex(key));
  }

  @Test
  void transportConnectionsListWhatTheTransportHoldsNotOnlyEnginePeers() throws Exception {
    Transport.ConnectionInfo noStream = new Transport.ConnectionInfo("mem://no-gossip-stream", "mem", true, "12D3KooWOther");
    Transport.ConnectionInfo inbound = new Transport.ConnectionInfo("mem://inbound", "mem", false, "12D3KooWIn");
    NetworkEngine node = start(NetworkEngine.builder(config("a").build(), new ListingTransport(net.transport("a"), List.of(noStream, inbound))).build());
    assertThat(node.getPeers(PeerOption.TRANSPORT_CONNECTIONS_OUT)).containsExactly(noStream);
    assertThat(node.getPeers(PeerOption.TRANSPORT_CONNECTIONS_IN)).containsExactly(inbound);
    assertThat(node.getPeers(PeerOption.CONNECTED_OUT)).isEmpty();
  }

  @Test
  void withoutAListFromTheTransportItsConnectionsAreTheEnginePeers() throws Exception {
    NetworkEngine node = start(NetworkEngine.builder(config("a").build(), net.transport("a")).build());
    stub(node, "in", PeerHandshake.basic(MemoryTransport.PROTOCOL_VERSION));
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    List<Peer> in = node.getPeers(PeerOption.TRANSPORT_CONNECTIONS_IN);
    assertThat(in).hasSize(1);
    assertThat(((PeerConnectionInfo) in.get(0)).networkType()).isEqualTo("mem");
  }

  @Test
  void whenTheRemoteOpensTheChannelTheDialedPeerArrivesOnceAsOutgoing() throws Exception {
    NetworkEngine b = start(NetworkEngine.builder(config("b").build(), net.transport("b")).build());
    NetworkEngine a =
        start(NetworkEngine.builder(config("a").relayPeers(List.of("mem://b")).build(), new RemoteOpensTransport(net.transport("a"))).build());
    await().atMost(WAIT).until(() -> a.connectedPeers().size() == 1 && b.connectedPeers().size() == 1);
    assertThat(a.connectedPeers().get(0).outgoing()).isTrue();
    assertThat(b.connectedPeers().get(0).outgoing()).isFalse();
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> a.connectedPeers().size() == 1);
  }

  private static WsPeer peerAt(NetworkEngine node, String suffix) {
    return node.connectedPeers().stream().filter(p -> p.address().endsWith(suffix)).findFirst().orElseThrow();
  }

  /** A memory transport that reports its own list of connections. */
  private record ListingTransport(MemoryTransport inner, List<Transport.ConnectionInfo> held) implements Transport {
    @Override
    public String networkType() {
      return inner.networkType();
    }

    @Override
    public Optional<List<Transport.ConnectionInfo>> connections() {
      return Optional.of(held);
    }

    @Override
    public void start(TransportContext context) throws IOException {
      inner.start(context);
    }

    @Override
    public void stop() {
      inner.stop();
    }

    @Override
    public Optional<String> listenAddress() {
      return inner.listenAddress();
    }

    @Override
    public CompletableFuture<EstablishedConnection> dial(String address) {
      return inner.dial(address);
    }

    @Override
    public HttpHosting http() {
      return inner.http();
    }
  }

  /**
   * A memory transport whose dial reports {@code remoteOpens()}: the connection it made reaches
   * the engine through {@code acceptIncoming}, as a libp2p connection whose stream the remote opens.
   */
  private static final class RemoteOpensTransport implements Transport {
    private final MemoryTransport inner;
    private volatile TransportContext context;

    RemoteOpensTransport(MemoryTransport inner) {
      this.inner = inner;
    }

    @Override
    public String networkType() {
      return inner.networkType();
    }

    @Override
    public void start(TransportContext c) throws IOException {
      this.context = c;
      inner.start(c);
    }

    @Override
    public void stop() {
      inner.stop();
    }

    @Override
    public Optional<String> listenAddress() {
      return inner.listenAddress();
    }

    @Override
    public CompletableFuture<EstablishedConnection> dial(String address) {
      return inner.dial(address).thenApply(est -> {
        context.acceptIncoming(est.connection(), est.handshake());
        return EstablishedConnection.remoteOpens();
      });
    }

    @Override
    public HttpHosting http() {
      return inner.http();
    }
  }
}
