package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.StreamHandler;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Fuzz properties of the pubsub RPC decoder ({@link Rpc#decode}: subscriptions, messages and every
 * control message: IHAVE, IWANT, GRAFT, PRUNE with peer exchange, IDONTWANT) and the router's
 * handling of floods of decoded RPCs. The decoder either returns an RPC within {@link RpcLimits}
 * or refuses the input with {@link IllegalArgumentException}, as its Javadoc declares, and it
 * never allocates more than a small multiple of its input.
 */
class GossipSubRpcFuzzTest {
  /** The limits of a router with the default configuration (js-libp2p's). */
  private static final RpcLimits LIMITS = GossipSubConfig.builder().build().limits();
  private static final int MAX_RPC = GossipSubConfig.DEFAULT_MAX_RPC_SIZE;

  private static long allocationLimit(byte[] input) {
    // every nested message is copied once per level (RPC > control > IHAVE: three copies at most),
    // a reader and a list node per field; 64 KiB for the exception and its stack trace
    return 64 * 1024 + 32L * input.length;
  }

  private static Rpc decode(byte[] b) {
    return Rpc.decode(b, MAX_RPC, LIMITS);
  }

  // ------------------------------------------------------------------ generators

  private static Arbitrary<String> topics() {
    return Arbitraries.strings().alpha().numeric().withChars('/', '-', '_', '.', 'é', '✓').ofMaxLength(24);
  }

  private static Arbitrary<byte[]> bytes(int max) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
  }

  private static Arbitrary<byte[]> optionalBytes(int max) {
    return bytes(max).injectNull(0.3);
  }

  private static Arbitrary<Rpc.WireMessage> messages() {
    return Combinators.combine(optionalBytes(40), optionalBytes(64), optionalBytes(8), topics(), optionalBytes(64),
        optionalBytes(40)).as(Rpc.WireMessage::new);
  }

  private static Arbitrary<Rpc.PeerInfo> peerInfos() {
    return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40), optionalBytes(96))
        .as(Rpc.PeerInfo::new);
  }

  private static Arbitrary<Rpc.Prune> prunes() {
    return Combinators.combine(topics(), Arbitraries.longs().between(0, Long.MAX_VALUE),
        peerInfos().list().ofMaxSize(3)).as(Rpc.Prune::new);
  }

  private static Arbitrary<Rpc.IHave> ihaves() {
    return Combinators.combine(topics(), bytes(32).list().ofMaxSize(4)).as(Rpc.IHave::new);
  }

  private static Arbitrary<Rpc> rpcs() {
    Arbitrary<Rpc.Subscription> subs = Combinators.combine(Arbitraries.of(true, false), topics())
        .as(Rpc.Subscription::new);
    Arbitrary<Rpc.Control> controls = Combinators.combine(ihaves().list().ofMaxSize(3), bytes(32).list().ofMaxSize(4),
        topics().list().ofMaxSize(3), prunes().list().ofMaxSize(2), bytes(32).list().ofMaxSize(4))
        .as((ih, iw, g, p, idw) -> new Rpc.Control(new ArrayList<>(ih), new ArrayList<>(iw), new ArrayList<>(g),
            new ArrayList<>(p), new ArrayList<>(idw)));
    return Combinators.combine(subs.list().ofMaxSize(4), messages().list().ofMaxSize(3), controls)
        .as((s, m, c) -> new Rpc(new ArrayList<>(s), new ArrayList<>(m), c));
  }

  @Provide
  Arbitrary<Rpc> validRpcs() {
    return rpcs();
  }

  @Provide
  Arbitrary<byte[]> fuzzedRpcs() {
    return Mutations.of(rpcs().map(Rpc::encode), 512);
  }

  // ------------------------------------------------------------------ decoder properties

  @Property
  void aValidRpcSurvivesARoundTripWithEveryPart(@ForAll("validRpcs") Rpc rpc) {
    byte[] encoded = rpc.encode();
    Rpc d = decode(encoded);
    assertThat(d.encode()).isEqualTo(encoded);
    assertThat(d.subscriptions()).isEqualTo(rpc.subscriptions());
    assertThat(d.messages()).hasSameSizeAs(rpc.messages());
    assertThat(d.control().ihave()).hasSameSizeAs(rpc.control().ihave());
    assertThat(d.control().iwant()).hasSameSizeAs(rpc.control().iwant());
    assertThat(d.control().graft()).isEqualTo(rpc.control().graft());
    assertThat(d.control().prune().stream().map(p -> p.topic() + "/" + p.backoffSeconds() + "/" + p.peers().size()))
        .containsExactlyElementsOf(rpc.control().prune().stream()
            .map(p -> p.topic() + "/" + p.backoffSeconds() + "/" + p.peers().size()).toList());
    assertThat(d.control().idontwant()).hasSameSizeAs(rpc.control().idontwant());
  }

  @Property
  void aMutatedRpcIsDecodedWithinTheLimitsOrRefusedWithIllegalArgument(@ForAll("fuzzedRpcs") byte[] input) {
    Decoding.Outcome outcome = Decoding.check(input, allocationLimit(input), b -> {
      Rpc rpc = decode(b);
      assertWithinLimits(rpc, LIMITS);
      return rpc;
    }, IllegalArgumentException.class);
    Statistics.collect(outcome);
  }

  @Property
  void randomBytesAreDecodedOrRefusedWithIllegalArgument(@ForAll("random") byte[] input) {
    Statistics.collect(Decoding.check(input, allocationLimit(input), GossipSubRpcFuzzTest::decode,
        IllegalArgumentException.class));
  }

  @Provide
  Arbitrary<byte[]> random() {
    return Mutations.randomBytes(256);
  }

  /** A fuzzed RPC under tight limits (1-3 of each) exercises the limit checks on every list. */
  @Property
  void tightLimitsAreNeverExceededByADecodedRpc(@ForAll("fuzzedRpcs") byte[] input) {
    RpcLimits tight = new RpcLimits(2, 1, 3, 2, 1, 1, 1);
    Statistics.collect(Decoding.check(input, allocationLimit(input), b -> {
      Rpc rpc = Rpc.decode(b, MAX_RPC, tight);
      assertWithinLimits(rpc, tight);
      return rpc;
    }, IllegalArgumentException.class));
  }

  private static void assertWithinLimits(Rpc rpc, RpcLimits l) {
    assertThat(rpc.subscriptions().size()).isLessThanOrEqualTo(l.maxSubscriptions());
    assertThat(rpc.messages().size()).isLessThanOrEqualTo(l.maxMessages());
    assertThat(rpc.control().ihave().stream().mapToInt(i -> i.ids().size()).sum())
        .isLessThanOrEqualTo(l.maxIHaveIds());
    assertThat(rpc.control().ihave().size()).isLessThanOrEqualTo(l.maxIHaveIds());
    assertThat(rpc.control().iwant().size()).isLessThanOrEqualTo(l.maxIWantIds());
    assertThat(rpc.control().graft().size()).isLessThanOrEqualTo(l.maxSubscriptions());
    assertThat(rpc.control().prune().size()).isLessThanOrEqualTo(l.maxPruneMessages());
    for (Rpc.Prune p : rpc.control().prune()) {
      assertThat(p.peers().size()).isLessThanOrEqualTo(l.maxPxPeers());
      for (Rpc.PeerInfo pi : p.peers()) {
        assertThat(pi.peerId().length).isBetween(1, PeerId.MAX_BYTES);
        if (pi.signedPeerRecord() != null) {
          assertThat(pi.signedPeerRecord().length).isLessThanOrEqualTo(Rpc.MAX_SIGNED_PEER_RECORD);
        }
      }
    }
    assertThat(rpc.control().idontwant().size()).isLessThanOrEqualTo(l.maxIDontWantIds());
  }

  // ------------------------------------------------------------------ floods at the decoder

  private static byte[] ids(int n) {
    return new byte[] {(byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }

  /** One control message (RPC field 3) with {@code n} entries of {@code field}, each {@code entry}. */
  private static byte[] controlFlood(int field, int n, java.util.function.IntFunction<byte[]> entry) {
    ProtoWriter c = new ProtoWriter();
    for (int i = 0; i < n; i++) {
      c.bytes(field, entry.apply(i));
    }
    return new ProtoWriter().bytes(3, c.toByteArray()).toByteArray();
  }

  private static Decoding.Outcome checkFlood(byte[] input) {
    return Decoding.check(input, allocationLimit(input), GossipSubRpcFuzzTest::decode, IllegalArgumentException.class);
  }

  @Test
  void twoThousandSubscriptionsAreWithinTheDefaultLimitOfFiveThousandAndTheNextOneIsRefused() {
    Rpc ok = Rpc.empty();
    for (int i = 0; i < 2000; i++) {
      ok.subscriptions().add(new Rpc.Subscription(true, "t" + i));
    }
    assertThat(checkFlood(ok.encode())).isEqualTo(Decoding.Outcome.ACCEPTED);
    assertThat(LIMITS.maxSubscriptions()).isEqualTo(GossipSubConfig.DEFAULT_MAX_IDS);
    Rpc over = Rpc.empty();
    for (int i = 0; i <= LIMITS.maxSubscriptions(); i++) {
      over.subscriptions().add(new Rpc.Subscription(true, "t" + i));
    }
    assertThat(checkFlood(over.encode())).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(over.encode())).hasMessage("too many subscriptions");
  }

  @Test
  void aHundredThousandIHaveIdsAreRefusedAtTheFirstIdOverTheLimit() {
    byte[] one = new ProtoWriter().bytes(3, new ProtoWriter().bytes(1, ihave("t", 100_000)).toByteArray())
        .toByteArray();
    assertThat(checkFlood(one)).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(one)).hasMessage("too many IHAVE message IDs");
    // the same spread over many IHAVEs of 10 IDs: the count is over all IHAVEs of the RPC
    byte[] spread = controlFlood(1, 10_000, i -> ihave("t" + i, 10));
    assertThat(checkFlood(spread)).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(spread)).hasMessage("too many IHAVE message IDs");
    // and over several control fields of one RPC
    ByteArrayOutputStream twice = new ByteArrayOutputStream();
    twice.writeBytes(new ProtoWriter().bytes(3, new ProtoWriter().bytes(1, ihave("a", 3000)).toByteArray()).toByteArray());
    twice.writeBytes(new ProtoWriter().bytes(3, new ProtoWriter().bytes(1, ihave("b", 3000)).toByteArray()).toByteArray());
    assertThatThrownBy(() -> decode(twice.toByteArray())).hasMessage("too many IHAVE message IDs");
    assertThat(decode(controlFlood(1, 1, i -> ihave("t", LIMITS.maxIHaveIds()))).control().ihave().get(0).ids())
        .hasSize(LIMITS.maxIHaveIds());
  }

  /**
   * Regression: IHAVEs without IDs were not counted, so one 1 MiB RPC of empty IHAVEs decoded to
   * over 500,000 entries (an IHave, a list and a topic each). Each IHAVE now counts against
   * {@link RpcLimits#maxIHaveIds()}, which a valid RPC (every IHAVE carrying an ID) never exceeds.
   */
  @Test
  void aFloodOfEmptyIHavesIsRefusedOnceTheyOutnumberTheIHaveIdLimit() {
    byte[] flood = controlFlood(1, 100_000, i -> new byte[0]);
    assertThat(checkFlood(flood)).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(flood)).hasMessage("too many IHAVEs");
    assertThat(decode(controlFlood(1, LIMITS.maxIHaveIds(), i -> ihave("t", 1))).control().ihave())
        .hasSize(LIMITS.maxIHaveIds());
  }

  @Test
  void aHundredThousandIWantAndIDontWantIdsAreRefusedAtTheirLimits() {
    byte[] iwant = controlFlood(2, 1, i -> idList(100_000));
    assertThat(checkFlood(iwant)).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(iwant)).hasMessage("too many IWANT message IDs");
    byte[] idontwant = controlFlood(5, 1, i -> idList(LIMITS.maxIDontWantIds() + 1));
    assertThat(LIMITS.maxIDontWantIds()).isEqualTo(GossipSubConfig.DEFAULT_MAX_IDONTWANT_IDS);
    assertThatThrownBy(() -> decode(idontwant)).hasMessage("too many IDONTWANT message IDs");
    assertThat(decode(controlFlood(5, 1, i -> idList(LIMITS.maxIDontWantIds()))).control().idontwant())
        .hasSize(LIMITS.maxIDontWantIds());
    // IWANT IDs count over all IWANT entries of the RPC
    byte[] spread = controlFlood(2, 100, i -> idList(100));
    assertThat(checkFlood(spread)).isEqualTo(Decoding.Outcome.REFUSED);
  }

  @Test
  void graftsAndPrunesOverTheirLimitsAreRefused() {
    byte[] grafts = controlFlood(3, LIMITS.maxSubscriptions() + 1, i -> new ProtoWriter().string(1, "t" + i)
        .toByteArray());
    assertThat(checkFlood(grafts)).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(grafts)).hasMessage("too many GRAFTs");
    byte[] prunes = controlFlood(4, LIMITS.maxPruneMessages() + 1, i -> new ProtoWriter().string(1, "t" + i)
        .toByteArray());
    assertThat(checkFlood(prunes)).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(prunes)).hasMessage("too many PRUNEs");
    byte[] px = controlFlood(4, 1, i -> {
      ProtoWriter p = new ProtoWriter().string(1, "t");
      for (int j = 0; j < 10_000; j++) {
        p.bytes(2, new ProtoWriter().bytes(1, ids(j)).toByteArray());
      }
      return p.toByteArray();
    });
    assertThat(checkFlood(px)).isEqualTo(Decoding.Outcome.REFUSED);
    assertThatThrownBy(() -> decode(px)).hasMessage("too many PX peers in a PRUNE");
  }

  @Test
  void messagesOverTheLimitAndFramesOverTheMaximumSizeAreRefused() {
    ProtoWriter w = new ProtoWriter();
    for (int i = 0; i <= LIMITS.maxMessages(); i++) {
      w.bytes(2, new byte[0]);
    }
    assertThatThrownBy(() -> decode(w.toByteArray())).hasMessage("too many messages");
    assertThatThrownBy(() -> Rpc.decode(new byte[2048], 1024, LIMITS)).hasMessageContaining("exceeds 1024");
  }

  private static byte[] ihave(String topic, int n) {
    ProtoWriter x = new ProtoWriter().string(1, topic);
    for (int i = 0; i < n; i++) {
      x.bytes(2, ids(i));
    }
    return x.toByteArray();
  }

  private static byte[] idList(int n) {
    ProtoWriter x = new ProtoWriter();
    for (int i = 0; i < n; i++) {
      x.bytes(1, ids(i));
    }
    return x.toByteArray();
  }

  // ------------------------------------------------------------------ floods at the router

  /**
   * A router on a host that never listens, fed RPC frames through its stream handler on an
   * in-memory stream: no sockets, the decoded RPCs go through {@code handleRpc} as from a peer.
   */
  private static final class Router implements AutoCloseable {
    final Host host = Host.builder().build();
    final GossipSub gs;
    final PeerId remote = PrivateKey.generate().peerId();

    Router(GossipSubConfig config) throws Exception {
      gs = GossipSub.start(host, config);
      // the first heartbeat runs after 100 ms; with an hour's interval no other one interferes
      Thread.sleep(300);
    }

    void receive(Rpc... rpcs) throws Exception {
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      for (Rpc r : rpcs) {
        byte[] b = r.encode();
        Varint.write(frames, b.length);
        frames.writeBytes(b);
      }
      handler().handle(new MemoryStream(new MemoryConnection(remote), new ByteArrayInputStream(frames.toByteArray())));
    }

    StreamHandler handler() throws Exception {
      java.lang.reflect.Field f = Host.class.getDeclaredField("handlers");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<String, StreamHandler> handlers = (Map<String, StreamHandler>) f.get(host);
      return handlers.get(GossipSub.MESHSUB_V12);
    }

    GossipPeer peer() throws Exception {
      java.lang.reflect.Field f = GossipSub.class.getDeclaredField("peers");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<PeerId, GossipPeer> peers = (Map<PeerId, GossipPeer>) f.get(gs);
      synchronized (lockOf()) {
        return peers.get(remote);
      }
    }

    Map<String, Map<PeerId, Long>> backoff() throws Exception {
      java.lang.reflect.Field f = GossipSub.class.getDeclaredField("backoff");
      f.setAccessible(true);
      synchronized (lockOf()) {
        @SuppressWarnings("unchecked")
        Map<String, Map<PeerId, Long>> b = (Map<String, Map<PeerId, Long>>) f.get(gs);
        return Map.copyOf(b);
      }
    }

    private Object lockOf() throws Exception {
      java.lang.reflect.Field f = GossipSub.class.getDeclaredField("lock");
      f.setAccessible(true);
      return f.get(gs);
    }

    @Override
    public void close() {
      gs.close();
      host.close();
    }
  }

  private static GossipSubConfig.Builder quiet() {
    return GossipSubConfig.builder().heartbeatInterval(Duration.ofHours(1));
  }

  @Test
  void aPeerAnnouncingTwoThousandTopicsIsRememberedForAtMost1024() throws Exception {
    try (Router r = new Router(quiet().build())) {
      Rpc rpc = Rpc.empty();
      for (int i = 0; i < 2000; i++) {
        rpc.subscriptions().add(new Rpc.Subscription(true, "t" + i));
      }
      r.receive(rpc);
      assertThat(r.peer().topics).hasSize(GossipSub.MAX_TOPICS_PER_PEER);
      assertThat(r.gs.metric("subscription.overLimit")).isEqualTo(2000 - GossipSub.MAX_TOPICS_PER_PEER);
      // a later RPC adds no topic either
      Rpc more = Rpc.empty();
      more.subscriptions().add(new Rpc.Subscription(true, "another"));
      r.receive(more);
      assertThat(r.peer().topics).hasSize(GossipSub.MAX_TOPICS_PER_PEER);
    }
  }

  @Test
  void anRpcWithMoreSubscriptionsThanMaxSubscriptionsPerRpcIsIgnoredWhole() throws Exception {
    try (Router r = new Router(quiet().maxSubscriptionsPerRpc(100).build())) {
      Rpc rpc = Rpc.empty();
      for (int i = 0; i < 101; i++) {
        rpc.subscriptions().add(new Rpc.Subscription(true, "t" + i));
      }
      r.receive(rpc);
      assertThat(r.peer().topics).isEmpty();
      assertThat(r.gs.metric("subscription.tooMany")).isEqualTo(1);
    }
  }

  @Test
  void ihaveFloodsAreAnsweredWithAtMostMaxIHaveLengthIdsAndMaxIHaveMessagesRpcsPerHeartbeat() throws Exception {
    GossipSubConfig config = quiet().build();
    try (Router r = new Router(config)) {
      r.gs.subscribe("t", m -> { });
      List<Rpc> rpcs = new ArrayList<>();
      for (int k = 0; k < config.maxIHaveMessages() + 5; k++) {
        Rpc rpc = Rpc.empty();
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxIHaveIds(); i++) {
          ids.add(("m" + k + "/" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        rpc.control().ihave().add(new Rpc.IHave("t", ids));
        rpcs.add(rpc);
      }
      r.receive(rpcs.toArray(Rpc[]::new));
      assertThat(r.gs.metric("rpc.received")).isEqualTo(rpcs.size());
      assertThat(r.peer().askedThisHeartbeat).isEqualTo(config.maxIHaveLength());
      assertThat(r.peer().ihaveThisHeartbeat).isEqualTo(rpcs.size());
      assertThat(r.gs.metric("ihave.overLimit")).isEqualTo(rpcs.size() - config.maxIHaveMessages());
      assertThat(r.gs.metric("ihave.received")).isEqualTo(config.maxIHaveMessages());
    }
  }

  @Test
  void aHundredThousandIHaveIdsInOneRpcAreDroppedAsMalformed() throws Exception {
    try (Router r = new Router(quiet().build())) {
      r.gs.subscribe("t", m -> { });
      Rpc rpc = Rpc.empty();
      List<byte[]> ids = new ArrayList<>();
      for (int i = 0; i < 100_000; i++) {
        ids.add(ids(i));
      }
      rpc.control().ihave().add(new Rpc.IHave("t", ids));
      r.receive(rpc);
      assertThat(r.gs.metric("rpc.malformed")).isEqualTo(1);
      assertThat(r.gs.metric("rpc.received")).isZero();
      assertThat(r.peer().askedThisHeartbeat).isZero();
    }
  }

  @Test
  void graftsForTopicsWeDoNotSubscribeAreEachAnsweredWithPruneAndChangeNoMesh() throws Exception {
    try (Router r = new Router(quiet().build())) {
      r.gs.subscribe("mine", m -> { });
      Rpc rpc = Rpc.empty();
      for (int i = 0; i < LIMITS.maxSubscriptions(); i++) {
        rpc.control().graft().add("t" + i);
      }
      r.receive(rpc);
      assertThat(r.gs.metric("graft.received")).isEqualTo(LIMITS.maxSubscriptions());
      assertThat(r.gs.dump()).contains("mesh mine: []").doesNotContain("mesh t0");
      // one over the decoder's GRAFT limit: the whole RPC is dropped
      rpc.control().graft().add("one more");
      r.receive(rpc);
      assertThat(r.gs.metric("rpc.malformed")).isEqualTo(1);
    }
  }

  @Test
  void prunesForTopicsWeAreNotInRecordNoBackoffAndAPrunesBackoffIsCutToADay() throws Exception {
    try (Router r = new Router(quiet().build())) {
      r.gs.subscribe("mine", m -> { });
      List<Rpc> rpcs = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        Rpc rpc = Rpc.empty();
        for (int i = 0; i < LIMITS.maxSubscriptions(); i++) {
          rpc.control().prune().add(new Rpc.Prune("t" + k + "/" + i, Long.MAX_VALUE));
        }
        rpcs.add(rpc);
      }
      Rpc ours = Rpc.empty();
      ours.control().prune().add(new Rpc.Prune("mine", Long.MAX_VALUE));
      rpcs.add(ours);
      r.receive(rpcs.toArray(Rpc[]::new));
      assertThat(r.gs.metric("prune.unknownTopic")).isEqualTo(20L * LIMITS.maxSubscriptions());
      Map<String, Map<PeerId, Long>> backoff = r.backoff();
      assertThat(backoff).containsOnlyKeys("mine");
      long left = backoff.get("mine").get(r.remote) - System.nanoTime();
      assertThat(left).isPositive().isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(GossipSub.MAX_PRUNE_BACKOFF_SECONDS));
    }
  }

  @Test
  void idontwantEntriesAreKeptUpTo5120PerPeer() throws Exception {
    try (Router r = new Router(quiet().build())) {
      List<Rpc> rpcs = new ArrayList<>();
      for (int k = 0; k < 12; k++) {
        Rpc rpc = Rpc.empty();
        for (int i = 0; i < LIMITS.maxIDontWantIds(); i++) {
          rpc.control().idontwant().add(("d" + k + "/" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        rpcs.add(rpc);
      }
      r.receive(rpcs.toArray(Rpc[]::new));
      assertThat(r.peer().dontWant).hasSize(10 * GossipSubConfig.DEFAULT_MAX_IDONTWANT_IDS);
    }
  }

  private record MemoryConnection(PeerId remotePeerId) implements Connection {
    @Override
    public Multiaddr remoteAddress() {
      return Multiaddr.fromSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4001));
    }

    @Override
    public Multiaddr localAddress() {
      return Multiaddr.fromSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4002));
    }

    @Override
    public Direction direction() {
      return Direction.INBOUND;
    }

    @Override
    public boolean earlyMuxerNegotiated() {
      return true;
    }

    @Override
    public CompletableFuture<Stream> newStream(List<String> protocols) {
      return CompletableFuture.failedFuture(new Libp2pException("in-memory connection: no outbound streams"));
    }

    @Override
    public CompletableFuture<IdentifyInfo> identify() {
      return CompletableFuture.failedFuture(new Libp2pException("in-memory connection: no identify"));
    }

    @Override
    public int streamCount() {
      return 1;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public CompletableFuture<String> closeFuture() {
      return new CompletableFuture<>();
    }

    @Override
    public void close() {}
  }

  private record MemoryStream(Connection connection, InputStream in) implements Stream {
    @Override
    public String protocol() {
      return GossipSub.MESHSUB_V12;
    }

    @Override
    public OutputStream out() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public void setReadTimeout(Duration timeout) {}

    @Override
    public void closeWrite() {}

    @Override
    public void reset() {}

    @Override
    public void close() {}
  }
}
