package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.pubsub.JsPubsubPeer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kademlia DHT between our node and js-libp2p's {@code @libp2p/kad-dht} 16.4.5, both directions. */
class JsInteropKadTest {
  private static final String PROTOCOL = "/gossipnet-test/kad/1.0.0";
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private KadNode java() throws Exception {
    KadNode n = new KadNode(KadConfig.defaults().withProtocolId(PROTOCOL));
    closeables.add(n);
    return n;
  }

  private JsPubsubPeer js() throws Exception {
    JsPubsubPeer p = JsPubsubPeer.start(Map.of("dht", true, "dhtProtocol", PROTOCOL));
    closeables.add(p);
    return p;
  }

  /** The multihash js uses for a text's CIDv1 raw SHA-256. */
  static byte[] textKey(String text) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    byte[] mh = new byte[34];
    mh[0] = 0x12;
    mh[1] = 0x20;
    System.arraycopy(d, 0, mh, 2, 32);
    return mh;
  }

  private static int jsTableSize(JsPubsubPeer js) throws Exception {
    return js.call("routingTable", Map.of()).get("size").getAsInt();
  }

  @Test
  void jsProvidesAndJavaFindsTheProvider() throws Exception {
    KadNode j = java();
    JsPubsubPeer js = js();
    j.host.dial(js.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> j.dht.routingTableSize() == 1 && jsTableSize(js) == 1);
    js.call("provide", Map.of("text", "provided-by-js"));
    // js answers GET_PROVIDERS from its peer store, which does not hold js itself: Java learns of
    // js as a provider from js's ADD_PROVIDER, which may land after js's provide() returned
    await().atMost(WAIT).until(() -> j.dht.metric("provider.added") == 1);
    List<KadPeer> found = j.dht.findProviders(textKey("provided-by-js"), 1);
    assertThat(found).extracting(KadPeer::id).containsExactly(js.peerId());
    assertThat(found.get(0).addresses()).isNotEmpty();
    assertThat(j.dht.metric("query.get_providers") + j.dht.metric("provider.added")).isPositive();
  }

  @Test
  void javaProvidesAndJsFindsTheProvider() throws Exception {
    KadNode j = java();
    JsPubsubPeer js = js();
    js.dial(j.address());
    await().atMost(WAIT).until(() -> j.dht.routingTableSize() == 1 && jsTableSize(js) == 1);
    assertThat(j.dht.provide(textKey("provided-by-java"))).isEqualTo(1);
    JsonObject r = js.call("findProviders", Map.of("text", "provided-by-java", "timeoutMs", 10000));
    JsonObject p = r.getAsJsonArray("providers").get(0).getAsJsonObject();
    assertThat(p.get("id").getAsString()).isEqualTo(j.host.peerId().toString());
    assertThat(p.getAsJsonArray("addrs").asList()).isNotEmpty();
  }

  @Test
  void findNodeWorksAcrossBothImplementations() throws Exception {
    // java A - js B - java C: A finds C through js; js D - java A - js B: D finds B through java
    KadNode a = java();
    JsPubsubPeer b = js();
    KadNode c = java();
    JsPubsubPeer d = js();
    a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
    c.host.dial(b.address()).get(10, TimeUnit.SECONDS);
    d.dial(a.address());
    // (A also learns C from B on its own: its first admitted peer triggers its self-lookup)
    await().atMost(WAIT).until(() -> jsTableSize(b) >= 2 && a.dht.inRoutingTable(b.peerId())
        && a.dht.inRoutingTable(d.peerId()) && jsTableSize(d) >= 1);

    KadPeer found = a.dht.findPeer(c.host.peerId()).orElseThrow();
    assertThat(found.addresses()).contains(c.host.listenAddresses().get(0));

    JsonObject r = d.call("findPeer", Map.of("peerId", b.peerId().toString()));
    assertThat(r.get("peer").getAsString()).isEqualTo(b.peerId().toString());
    assertThat(r.getAsJsonArray("addrs").asList()).isNotEmpty();
    assertThat(a.dht.metric("request.find_node")).isPositive();
  }

  @Test
  void javaWithTwoDisjointPathsFindsAJsProvider() throws Exception {
    // js B2 - js B1, both known to a Java client with two paths: each path starts from one js peer,
    // and the js peer each names (the other one) belongs to the other path
    JsPubsubPeer b1 = js();
    JsPubsubPeer b2 = js();
    b2.dial(b1.address());
    KadNode a = new KadNode(KadConfig.defaults().withProtocolId(PROTOCOL).withServerMode(false).withDisjointPaths(2));
    closeables.add(a);
    a.host.dial(b1.address()).get(10, TimeUnit.SECONDS);
    a.host.dial(b2.address()).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> a.dht.routingTableSize() == 2 && jsTableSize(b1) == 1 && jsTableSize(b2) == 1);
    b1.call("provide", Map.of("text", "provided-by-js-to-two-paths"));

    // b2 holds the record once b1's ADD_PROVIDER landed (b1 does not serve itself as a provider)
    Lookup.Result[] last = new Lookup.Result[1];
    await().atMost(WAIT).until(() -> {
      last[0] = a.dht.query(textKey("provided-by-js-to-two-paths"), KadMessage.Type.GET_PROVIDERS, 0);
      return !last[0].providers().isEmpty();
    });
    Lookup.Result r = last[0];
    assertThat(r.providers()).extracting(KadPeer::id).containsExactly(b1.peerId());
    assertThat(r.queried()).allSatisfy(q -> assertThat(q).hasSize(1));
    assertThat(r.queried().stream().flatMap(List::stream).toList())
        .containsExactlyInAnyOrder(b1.peerId(), b2.peerId());
    assertThat(a.dht.metric("query.disjoint.skipped")).isPositive();
    assertThat(a.dht.findProviders(textKey("provided-by-js-to-two-paths"), 1)).extracting(KadPeer::id)
        .containsExactly(b1.peerId());
  }

  /** A host with a DHT. */
  static final class KadNode implements AutoCloseable {
    final Host host;
    final KadDht dht;

    KadNode(KadConfig config) throws Exception {
      this(config, io.gossipnet.libp2p.crypto.PrivateKey.generate(), "/ip4/127.0.0.1/tcp/0");
    }

    KadNode(KadConfig config, io.gossipnet.libp2p.crypto.PrivateKey identity, String listen) throws Exception {
      host = Host.builder().identity(identity).listen(listen).build().start();
      dht = KadDht.start(host, config);
    }

    io.gossipnet.libp2p.multiformats.Multiaddr address() {
      return host.listenAddresses().get(0).withPeerId(host.peerId());
    }

    @Override
    public void close() {
      dht.close();
      host.close();
    }
  }
}
