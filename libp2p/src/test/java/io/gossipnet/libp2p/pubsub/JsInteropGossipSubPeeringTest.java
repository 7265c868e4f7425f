package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.gossipnet.libp2p.host.Host;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Explicit peering and peer exchange between our router and js-libp2p's {@code @libp2p/gossipsub}
 * 17.1.1: a Java and a js node that list each other as direct peers exchange and forward messages
 * without ever grafting each other; js prunes Java with PX and Java dials the listed peer; Java
 * prunes js with PX and js dials the listed peer.
 */
class JsInteropGossipSubPeeringTest {
  private static final String TOPIC = "interop-peering";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();
  private final List<JavaNode> javaNodes = new ArrayList<>();
  private final List<JsPubsubPeer> jsNodes = new ArrayList<>();

  private JavaNode java(Host host, GossipSubConfig config) {
    JavaNode n = new JavaNode(host, config);
    closeables.add(n);
    javaNodes.add(n);
    n.gs.subscribe(TOPIC, n::onMessage);
    return n;
  }

  private JavaNode java(GossipSubConfig config) throws Exception {
    return java(JavaNode.newHost(), config);
  }

  private JsPubsubPeer js(Map<String, Object> options) throws Exception {
    JsPubsubPeer p = JsPubsubPeer.start(options);
    closeables.add(p);
    jsNodes.add(p);
    p.subscribe(TOPIC);
    return p;
  }

  private static GossipSubConfig.Builder fast() {
    return GossipSubConfig.builder().heartbeatInterval(HEARTBEAT);
  }

  /** Waits for {@code condition}; on timeout fails with every node's state. */
  private void awaitOrDump(Callable<Boolean> condition) {
    try {
      await().atMost(WAIT).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder sb = new StringBuilder(e.getMessage()).append('\n');
      javaNodes.forEach(n -> sb.append(n.gs.dump()));
      jsNodes.forEach(p -> sb.append("js ").append(p.peerId()).append(" stderr:\n").append(p.stderr()));
      throw new AssertionError(sb.toString(), e);
    }
  }

  private static List<String> texts(JavaNode n) {
    return n.received.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void javaAndJsListedAsEachOthersDirectPeersForwardEveryMessageBothWaysWithoutGrafting() throws Exception {
    // k (Java) - j (Java) == y (js) - z (js): j and y are direct peers, k and z ordinary mesh peers
    Host hostJ = JavaNode.newHost();
    closeables.add(hostJ);
    JsPubsubPeer y = js(Map.of("directPeers", List.of(hostJ.listenAddresses().get(0).withPeerId(hostJ.peerId())
        .toString()), "floodPublish", false, "heartbeatInterval", (int) HEARTBEAT.toMillis()));
    JavaNode j = java(hostJ, fast().floodPublish(false).directPeers(List.of(y.address())).build());
    JavaNode k = java(fast().build());
    JsPubsubPeer z = js(Map.of("heartbeatInterval", (int) HEARTBEAT.toMillis()));
    k.host.dial(j.address()).get(10, TimeUnit.SECONDS);
    z.dial(y.address());
    // nobody dials between j and y by hand: each router connects to its direct peer
    awaitOrDump(() -> j.gs.topicPeers(TOPIC).contains(y.peerId())
        && y.call("subscribers", Map.of("topic", TOPIC)).toString().contains(j.peerId().toString())
        && j.gs.meshPeers(TOPIC).contains(k.peerId()) && y.mesh(TOPIC).contains(z.peerId().toString()));

    j.gs.publish(TOPIC, "j".getBytes(StandardCharsets.UTF_8));
    k.gs.publish(TOPIC, "k".getBytes(StandardCharsets.UTF_8));
    y.publish(TOPIC, "y");
    z.publish(TOPIC, "z");
    awaitOrDump(() -> texts(j).size() == 3 && texts(k).size() == 3 && y.received(TOPIC).size() == 3
        && z.received(TOPIC).size() == 3);
    // a few heartbeats more: no duplicate arrives (no gossip to direct peers) and nobody grafted across
    long h = j.gs.heartbeats();
    await().atMost(WAIT).until(() -> j.gs.heartbeats() >= h + 10);
    assertThat(texts(j)).containsExactlyInAnyOrder("k", "y", "z");
    assertThat(texts(k)).containsExactlyInAnyOrder("j", "y", "z");
    assertThat(y.received(TOPIC)).containsExactlyInAnyOrder("j", "k", "z");
    assertThat(z.received(TOPIC)).containsExactlyInAnyOrder("j", "k", "y");
    assertThat(j.gs.meshPeers(TOPIC)).doesNotContain(y.peerId());
    assertThat(y.mesh(TOPIC)).doesNotContain(j.peerId().toString());
    assertThat(j.gs.metric("graft.direct")).isZero();
    assertThat(y.events("graftReceived", e -> e.get("peerId").getAsString().equals(j.peerId().toString()))).isEmpty();
  }

  @Test
  void jsPrunesJavaWithPeerExchangeAndJavaDialsTheListedPeer() throws Exception {
    JsPubsubPeer x = js(Map.of("D", 1, "Dlo", 1, "Dhi", 1, "Dscore", 1, "Dout", 0, "doPX", true,
        "heartbeatInterval", (int) HEARTBEAT.toMillis()));
    JavaNode member = java(fast().build());
    member.host.dial(x.address()).get(10, TimeUnit.SECONDS);
    awaitOrDump(() -> x.mesh(TOPIC).equals(List.of(member.peerId().toString())));

    // pruned dials x (inbound to x) and grafts it; x's mesh is at Dhi: PRUNE with PX naming member
    JavaNode pruned = java(fast().scoring(PeerScoreParams.defaults(), new PeerScoreThresholds(-10, -50, -80, 0, 20))
        .build());
    pruned.host.dial(x.address()).get(10, TimeUnit.SECONDS);
    awaitOrDump(() -> pruned.gs.metric("px.connected") == 1 && pruned.connectedTo(member.peerId()));
    assertThat(pruned.gs.metric("px.received")).isEqualTo(1);
    assertThat(pruned.gs.metric("px.invalidRecord")).isZero();
    assertThat(x.mesh(TOPIC)).containsExactly(member.peerId().toString());
    awaitOrDump(() -> pruned.gs.meshPeers(TOPIC).contains(member.peerId()));
  }

  @Test
  void javaPrunesJsWithPeerExchangeAndJsDialsTheListedPeer() throws Exception {
    JavaNode x = java(fast().degree(1, 1, 1, 1, 0, 1).doPx(true).build());
    JavaNode member = java(fast().build());
    member.host.dial(x.address()).get(10, TimeUnit.SECONDS);
    awaitOrDump(() -> x.gs.meshPeers(TOPIC).equals(Set.of(member.peerId())));

    JsPubsubPeer pruned = js(Map.of("acceptPXThreshold", 0, "heartbeatInterval", (int) HEARTBEAT.toMillis()));
    pruned.dial(x.address());
    awaitOrDump(() -> pruned.connections().contains(member.peerId().toString()) && member.connectedTo(pruned.peerId()));
    JsonObject prune = pruned.events("pruneReceived", e -> e.get("peerId").getAsString().equals(x.peerId().toString()))
        .get(0);
    JsonElement offered = prune.getAsJsonArray("px").get(0).getAsJsonArray().get(0);
    assertThat(offered.getAsJsonObject().get("peerId").getAsString()).isEqualTo(member.peerId().toString());
    assertThat(offered.getAsJsonObject().get("signed").getAsBoolean()).isTrue();
    assertThat(x.gs.metric("px.sent")).isEqualTo(1);
  }
}
