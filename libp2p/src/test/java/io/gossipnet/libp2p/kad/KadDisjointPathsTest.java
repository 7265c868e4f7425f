package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Disjoint lookup paths between real Java nodes: a cluster of colluding sybils (raw Kad servers
 * the test controls) hides a provider or a peer from a single-path lookup, but not from a lookup
 * over two disjoint paths; and in an honest network no peer is queried by two paths.
 *
 * <p>The attack is a scale model: K = 4 and ALPHA = 3 (the default) for the victim, K + ALPHA
 * sybils ground to be closer to the target than any honest node, three of which are in the
 * victim's routing table next to one honest node. Sybils answer queries for the target with each
 * other only (no providers) and any other query with no peers, so they do not spread outside the
 * attack.
 */
class KadDisjointPathsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int K = 4;
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private JsInteropKadTest.KadNode node(KadConfig config) throws Exception {
    return node(config, PrivateKey.generate());
  }

  private JsInteropKadTest.KadNode node(KadConfig config, PrivateKey identity) throws Exception {
    JsInteropKadTest.KadNode n = new JsInteropKadTest.KadNode(config, identity, "/ip4/127.0.0.1/tcp/0");
    closeables.add(n);
    return n;
  }

  /** {@code n} colluding sybils closer to {@code target} than every honest node. */
  private List<RawKadServer> sybils(byte[] target, List<PeerId> honest, int n) throws Exception {
    List<RawKadServer> out = new ArrayList<>();
    for (PrivateKey key : LookupTest.sybilKeysCloserThan(KadKey.of(target), honest, n)) {
      RawKadServer s = new RawKadServer(key, KadConfig.DEFAULT_PROTOCOL);
      closeables.add(s);
      out.add(s);
    }
    for (RawKadServer s : out) {
      List<KadPeer> others = out.stream().filter(o -> o != s).map(RawKadServer::asPeer).toList();
      s.respond(m -> m.type() == KadMessage.Type.ADD_PROVIDER ? null
          : new KadMessage(m.type(), m.key(), null, Arrays.equals(m.key(), target) ? others : List.of(), List.of()));
    }
    return out;
  }

  /** A client-mode victim with K = 4 and {@code d} paths, whose routing table is three sybils and {@code honest}. */
  private JsInteropKadTest.KadNode victim(int d, List<RawKadServer> sybils, JsInteropKadTest.KadNode honest)
      throws Exception {
    List<Multiaddr> boot = new ArrayList<>(sybils.subList(0, 3).stream().map(RawKadServer::address).toList());
    boot.add(honest.address());
    JsInteropKadTest.KadNode q = node(KadConfig.defaults().withServerMode(false).withK(K).withDisjointPaths(d)
        .withBootstrap(boot));
    return q;
  }

  private static void awaitBootstrapped(JsInteropKadTest.KadNode... nodes) {
    await().atMost(WAIT).until(() -> Stream.of(nodes)
        .allMatch(q -> q.dht.routingTableSize() >= 4 && q.dht.metric("query.find_node") >= 1));
  }

  @Test
  void aSybilClusterHidesAProviderFromOnePathButNotFromTwoDisjointPaths() throws Exception {
    JsInteropKadTest.KadNode h = node(KadConfig.defaults());
    JsInteropKadTest.KadNode p = node(KadConfig.defaults().withBootstrap(List.of(h.address())));
    await().atMost(WAIT).until(() -> h.dht.inRoutingTable(p.host.peerId()) && p.dht.inRoutingTable(h.host.peerId()));
    byte[] key = Capabilities.capabilityKey("eclipsed-content");
    assertThat(p.dht.provide(key)).isPositive();
    await().atMost(WAIT).until(() -> h.dht.metric("provider.added") == 1);

    List<RawKadServer> sybils = sybils(key, List.of(h.host.peerId(), p.host.peerId()), K + KadConfig.DEFAULT_ALPHA);
    JsInteropKadTest.KadNode q0 = victim(0, sybils, h);
    JsInteropKadTest.KadNode q1 = victim(1, sybils, h);
    JsInteropKadTest.KadNode q2 = victim(2, sybils, h);
    awaitBootstrapped(q0, q1, q2);

    // one path (d = 0, the default, and d = 1): eclipsed, no honest node is even asked
    assertThat(q0.dht.findProviders(key, 1)).isEmpty();
    assertThat(q1.dht.findProviders(key, 1)).isEmpty();
    assertThat(h.dht.metric("request.get_providers") + p.dht.metric("request.get_providers")).isZero();
    assertThat(q1.dht.metric("query.paths.1")).isPositive();
    assertThat(q1.dht.metric("query.paths.2")).isZero();

    // two disjoint paths: the path that starts from the honest node finds the provider
    List<KadPeer> found = q2.dht.findProviders(key, 1);
    assertThat(found).extracting(KadPeer::id).containsExactly(p.host.peerId());
    assertThat(found.get(0).addresses()).isNotEmpty();
    assertThat(h.dht.metric("request.get_providers") + p.dht.metric("request.get_providers")).isPositive();
    assertThat(q2.dht.metric("query.paths.2")).isPositive();
    assertThat(q2.dht.metric("query.path.0.queried")).isPositive();
    assertThat(q2.dht.metric("query.path.1.queried")).isPositive();
    // on the wire, no sybil was asked twice by one victim
    for (RawKadServer s : sybils) {
      for (JsInteropKadTest.KadNode q : List.of(q0, q1, q2)) {
        assertThat(s.requestsFrom(q.host.peerId(), KadMessage.Type.GET_PROVIDERS)).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void aSybilClusterHidesAPeerFromOnePathButNotFromTwoDisjointPaths() throws Exception {
    PrivateKey targetKey = PrivateKey.generate();
    PeerId target = targetKey.peerId();
    JsInteropKadTest.KadNode h = node(KadConfig.defaults());
    List<RawKadServer> sybils = sybils(target.toBytes(), List.of(h.host.peerId()), K + KadConfig.DEFAULT_ALPHA);
    JsInteropKadTest.KadNode q1 = victim(1, sybils, h);
    JsInteropKadTest.KadNode q2 = victim(2, sybils, h);
    awaitBootstrapped(q1, q2);
    // the target joins after the victims bootstrapped: only h knows it
    JsInteropKadTest.KadNode x = node(KadConfig.defaults().withBootstrap(List.of(h.address())), targetKey);
    await().atMost(WAIT).until(() -> h.dht.inRoutingTable(target));

    assertThat(q1.dht.findPeer(target)).isEmpty();
    KadPeer found = q2.dht.findPeer(target).orElseThrow();
    assertThat(found.addresses()).contains(x.host.listenAddresses().get(0));
    assertThat(q2.dht.metric("query.disjoint.skipped")).isPositive();
    for (RawKadServer s : sybils) {
      assertThat(s.requests.stream().filter(r -> r.from().equals(q2.host.peerId())
          && Arrays.equals(r.message().key(), target.toBytes()))).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void inANetworkOfJavaNodesNoPeerIsQueriedByTwoPaths() throws Exception {
    List<JsInteropKadTest.KadNode> nodes = new ArrayList<>();
    nodes.add(node(KadConfig.defaults()));
    for (int i = 1; i < 14; i++) {
      nodes.add(node(KadConfig.defaults().withBootstrap(List.of(nodes.get(0).address()))));
    }
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.dht.routingTableSize() >= 3));
    JsInteropKadTest.KadNode q = node(KadConfig.defaults().withServerMode(false).withK(6).withDisjointPaths(3)
        .withBootstrap(List.of(nodes.get(0).address(), nodes.get(5).address(), nodes.get(10).address())));
    await().atMost(WAIT).until(() -> q.dht.routingTableSize() >= 6 && q.dht.metric("query.find_node") >= 1);

    byte[] key = Capabilities.capabilityKey("provided-by-nobody");
    long[] before = nodes.stream().mapToLong(n -> n.dht.metric("request.get_providers")).toArray();
    long lookupsBefore = q.dht.metric("query.paths.3");
    long queriedBefore = q.dht.metric("query.path.0.queried") + q.dht.metric("query.path.1.queried")
        + q.dht.metric("query.path.2.queried");
    Lookup.Result r = q.dht.query(key, KadMessage.Type.GET_PROVIDERS, 0);

    List<PeerId> all = r.queried().stream().flatMap(List::stream).toList();
    assertThat(all).doesNotHaveDuplicates();
    assertThat(r.queried().stream().filter(l -> !l.isEmpty()).count()).isGreaterThanOrEqualTo(2);
    long served = 0;
    for (int i = 0; i < nodes.size(); i++) {
      long delta = nodes.get(i).dht.metric("request.get_providers") - before[i];
      assertThat(delta).as("GET_PROVIDERS requests node %d served", i).isBetween(0L, 1L);
      served += delta;
    }
    assertThat(served).isEqualTo(all.size());
    KadKey target = KadKey.of(key);
    List<PeerId> trueClosest = nodes.stream().map(n -> n.host.peerId())
        .sorted(Comparator.comparing((PeerId id) -> KadKey.of(id.toBytes()), target::compareDistance)).limit(6)
        .toList();
    assertThat(r.closest()).extracting(KadPeer::id).containsExactlyElementsOf(trueClosest);
    assertThat(q.dht.metric("query.paths.3") - lookupsBefore).isEqualTo(1);
    long queried = q.dht.metric("query.path.0.queried") + q.dht.metric("query.path.1.queried")
        + q.dht.metric("query.path.2.queried");
    assertThat(queried - queriedBefore).isEqualTo(all.size());
  }
}
