package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Peer;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.filter.IncomingDuplicateFilter;
import io.gossipnet.core.identity.HandshakeIdentity;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.core.memory.MemoryNetwork;
import io.gossipnet.core.memory.MemoryTransport;
import io.gossipnet.core.memory.StubPeer;
import io.gossipnet.core.metrics.NetworkMetrics;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.core.spi.PeerHandshake;
import io.gossipnet.core.spi.Transport;
import io.gossipnet.core.spi.TransportContext;
import io.gossipnet.core.spi.TransportPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seams that let more than one transport, or two engines in one node, share the engine: an
 * injected identity tracker and duplicate filter, the owner node, the one outbound path, the
 * transport's policy and network-tagged metrics.
 */
class EngineSeamsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private final MemoryNetwork net = new MemoryNetwork();
  private final List<NetworkEngine> nodes = new ArrayList<>();
  private final List<StubPeer> stubs = new ArrayList<>();

  @AfterEach
  void stopAll() {
    stubs.forEach(StubPeer::close);
    nodes.forEach(NetworkEngine::stop);
  }

  private static NetworkConfig config(String name) {
    return NetworkConfig.builder("test-genesis").listenAddress("mem://" + name).publicAddress("mem://" + name).build();
  }

  private NetworkEngine start(NetworkEngine n) {
    nodes.add(n);
    n.start();
    return n;
  }

  private StubPeer stub(NetworkEngine node, String name, HandshakeIdentity identity) throws IOException {
    PeerHandshake hs = new PeerHandshake(MemoryTransport.PROTOCOL_VERSION, Set.of(), "", "", identity);
    StubPeer s = StubPeer.connect(net, name, node.address().orElseThrow(), hs, true);
    stubs.add(s);
    return s;
  }

  @Test
  void twoEnginesSharingOneTrackerRefuseASecondConnectionToTheSameKey() throws Exception {
    IdentityTracker shared = IdentityTracker.create();
    NetworkEngine ws = start(NetworkEngine.builder(config("a"), net.transport("a")).identityTracker(shared).build());
    NetworkEngine p2p = start(NetworkEngine.builder(config("b"), net.transport("b")).identityTracker(shared).build());

    stub(ws, "x", new HandshakeIdentity.TransportAuthenticated(KEY));
    await().atMost(WAIT).until(() -> ws.connectedPeers().size() == 1);
    StubPeer second = stub(p2p, "y", new HandshakeIdentity.TransportAuthenticated(KEY.clone()));

    await().atMost(WAIT).until(second::isClosed);
    assertThat(p2p.connectedPeers()).isEmpty();
    assertThat(p2p.metrics().disconnectCount(DisconnectReason.DUPLICATE_CONNECTION)).isEqualTo(1);
    assertThat(ws.connectedPeers()).hasSize(1);
    assertThat(ws.connectedPeers().get(0).identityKey()).isEqualTo(KEY);
  }

  @Test
  void aTransportAuthenticatedIdentityIsClaimedAtOnceWithoutAnIdentityMessage() throws Exception {
    NetworkEngine node = start(NetworkEngine.builder(config("a"), net.transport("a")).identityTracker(IdentityTracker.create()).build());
    StubPeer x = stub(node, "x", new HandshakeIdentity.TransportAuthenticated(KEY));
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    assertThat(node.connectedPeers().get(0).identityVerified()).isTrue();
    assertThat(x.receive(Tags.NI, Duration.ofMillis(300))).isNull();
  }

  @Test
  void twoEnginesSharingOneDuplicateFilterDeliverAMessageArrivingOnBothOnce() throws Exception {
    IncomingDuplicateFilter shared = new IncomingDuplicateFilter();
    NetworkEngine a = start(NetworkEngine.builder(config("a"), net.transport("a")).incomingFilter(shared).build());
    NetworkEngine b = start(NetworkEngine.builder(config("b"), net.transport("b")).incomingFilter(shared).build());
    AtomicInteger delivered = new AtomicInteger();
    for (NetworkEngine n : List.of(a, b)) {
      n.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
        delivered.incrementAndGet();
        return OutgoingMessage.ignore();
      })));
    }
    StubPeer overA = stub(a, "x", HandshakeIdentity.NONE);
    StubPeer overB = stub(b, "y", HandshakeIdentity.NONE);
    await().atMost(WAIT).until(() -> a.connectedPeers().size() == 1 && b.connectedPeers().size() == 1);

    overA.send(Tags.TX, new byte[] {1, 2, 3});
    overB.send(Tags.TX, new byte[] {1, 2, 3});

    await().atMost(WAIT).until(() -> b.metrics().duplicateMessagesReceived.count() + a.metrics().duplicateMessagesReceived.count() == 1);
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> delivered.get() == 1);
  }

  @Test
  void aHandlerSeesTheOwnerNodeAsTheMessagesNetwork() throws Exception {
    NetworkEngine hybridStandIn = NetworkEngine.builder(config("h"), net.transport("h")).build();
    NetworkEngine child = start(NetworkEngine.builder(config("a"), net.transport("a")).owner(hybridStandIn).build());
    AtomicReference<GossipNode> seen = new AtomicReference<>();
    child.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
      seen.set(m.network());
      return OutgoingMessage.ignore();
    })));
    StubPeer x = stub(child, "x", HandshakeIdentity.NONE);
    await().atMost(WAIT).until(() -> child.connectedPeers().size() == 1);
    x.send(Tags.TX, new byte[] {9});
    await().atMost(WAIT).until(() -> seen.get() != null);
    assertThat(seen.get()).isSameAs(hybridStandIn);
    assertThat(child.owner()).isSameAs(hybridStandIn);
  }

  @Test
  void theBroadcastActionOfAnOwnedEngineGoesThroughTheOwnersBroadcast() throws Exception {
    List<String> ownerCalls = new CopyOnWriteArrayList<>();
    NetworkEngine sibling = start(NetworkEngine.builder(config("s"), net.transport("s")).build());
    AtomicReference<NetworkEngine> childRef = new AtomicReference<>();
    // A stand-in for a hybrid: its broadcast goes to the child (skipping the sender) and a sibling.
    NetworkEngine hybridStandIn = new NetworkEngine(NetworkEngine.builder(config("h"), net.transport("h"))) {
      @Override
      public void broadcast(Tag tag, byte[] data, boolean wait, Peer except) {
        ownerCalls.add(tag.name());
        childRef.get().broadcast(tag, data, wait, except);
        sibling.broadcast(tag, data, wait, except);
      }
    };
    NetworkEngine child = start(NetworkEngine.builder(config("a"), net.transport("a")).owner(hybridStandIn).build());
    childRef.set(child);
    child.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> OutgoingMessage.broadcast())));
    StubPeer x = stub(child, "x", HandshakeIdentity.NONE);
    StubPeer y = stub(child, "y", HandshakeIdentity.NONE);
    StubPeer z = stub(sibling, "z", HandshakeIdentity.NONE);
    await().atMost(WAIT).until(() -> child.connectedPeers().size() == 2 && sibling.connectedPeers().size() == 1);

    x.send(Tags.AV, new byte[] {5});

    assertThat(y.receive(Tags.AV, WAIT).payload()).containsExactly(5);
    assertThat(z.receive(Tags.AV, WAIT).payload()).as("the owner's other network gets it too").containsExactly(5);
    assertThat(ownerCalls).containsExactly("AV");
    assertThat(x.receive(Tags.AV, Duration.ofMillis(200))).as("not back to the sender").isNull();
  }

  @Test
  void meshPassNowRunsTheEnginesOwnPassOnTheCallersThread() {
    List<Integer> targets = new CopyOnWriteArrayList<>();
    NetworkEngine node = new NetworkEngine(NetworkEngine.builder(config("m"), net.transport("m"))
        .meshStrategy(io.gossipnet.core.mesh.NoopMeshStrategy.INSTANCE)) {
      @Override
      protected int meshPass(int target) {
        targets.add(target);
        return 7;
      }
    };
    assertThat(node.meshPassNow(3)).isEqualTo(7);
    assertThat(targets).containsExactly(3);
  }

  @Test
  void broadcastRelayAndTheBroadcastActionAllGoThroughTheRoutingMethod() throws Exception {
    List<Tag> routed = new CopyOnWriteArrayList<>();
    NetworkConfig relaying = NetworkConfig.builder("test-genesis").listenAddress("mem://a").publicAddress("mem://a").build();
    NetworkEngine node = start(new NetworkEngine(NetworkEngine.builder(relaying, net.transport("a"))) {
      @Override
      protected void send(Tag tag, byte[] data, boolean wait, Peer except) {
        routed.add(tag);
        super.send(tag, data, wait, except);
      }
    });
    assertThat(relaying.relays()).isTrue();
    node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> OutgoingMessage.broadcast())));
    StubPeer x = stub(node, "x", HandshakeIdentity.NONE);
    StubPeer y = stub(node, "y", HandshakeIdentity.NONE);
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 2);

    node.broadcast(Tags.AV, new byte[] {1}, false, null);
    node.relay(Tags.PP, new byte[] {2}, false, null);
    x.send(Tags.TX, new byte[] {3});

    await().atMost(WAIT).until(() -> routed.size() == 3);
    assertThat(routed).containsExactlyInAnyOrder(Tags.AV, Tags.PP, Tags.TX);
    assertThat(y.receive(Tags.TX, WAIT).payload()).containsExactly(3);
  }

  @Test
  void aTransportThatDeclaresNoMessageOfInterestNeverSendsIt() throws Exception {
    NetworkEngine withMi = start(NetworkEngine.builder(config("a"), net.transport("a")).build());
    NetworkEngine withoutMi =
        start(NetworkEngine.builder(config("b"), new PolicyTransport(net.transport("b"), "p2p", TransportPolicy.P2P)).build());
    StubPeer toA = stub(withMi, "x", HandshakeIdentity.NONE);
    StubPeer toB = stub(withoutMi, "y", HandshakeIdentity.NONE);
    await().atMost(WAIT).until(() -> withMi.connectedPeers().size() == 1 && withoutMi.connectedPeers().size() == 1);

    withMi.registerMessageInterest(Tags.SP);
    withoutMi.registerMessageInterest(Tags.SP);

    assertThat(toA.receive(Tags.MI, WAIT)).as("the control: the default policy announces").isNotNull();
    assertThat(toB.receive(Tags.MI, Duration.ofMillis(500))).isNull();
  }

  @Test
  void theMetricsOfTwoEnginesInOneRegistryAreBothVisible() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    NetworkEngine mem = start(NetworkEngine.builder(config("a"), net.transport("a")).meterRegistry(registry).build());
    NetworkEngine other =
        start(NetworkEngine.builder(config("b"), new PolicyTransport(net.transport("b"), "p2p", TransportPolicy.P2P))
            .meterRegistry(registry).build());
    stub(mem, "x", HandshakeIdentity.NONE);
    stub(mem, "y", HandshakeIdentity.NONE);
    stub(other, "z", HandshakeIdentity.NONE);
    await().atMost(WAIT).until(() -> mem.connectedPeers().size() == 2 && other.connectedPeers().size() == 1);

    Gauge memPeers = registry.find("gossipnet.peers").tag(NetworkMetrics.NETWORK_TAG, "mem").gauge();
    Gauge p2pPeers = registry.find("gossipnet.peers").tag(NetworkMetrics.NETWORK_TAG, "p2p").gauge();
    assertThat(memPeers).isNotNull();
    assertThat(p2pPeers).isNotNull();
    assertThat(memPeers.value()).isEqualTo(2);
    assertThat(p2pPeers.value()).isEqualTo(1);
    mem.broadcast(Tags.AV, new byte[] {1}, true, null);
    await().atMost(WAIT).until(() -> registry.get("gossipnet.broadcasts").tag(NetworkMetrics.NETWORK_TAG, "mem").counter().count() == 1);
    assertThat(registry.get("gossipnet.broadcasts").tag(NetworkMetrics.NETWORK_TAG, "p2p").counter().count()).isZero();
  }

  /** An in-memory transport that reports another network type and policy. */
  private record PolicyTransport(MemoryTransport inner, String type, TransportPolicy declared) implements Transport {
    @Override
    public String networkType() {
      return type;
    }

    @Override
    public TransportPolicy policy() {
      return declared;
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
}
