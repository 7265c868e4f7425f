package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.testing.CloseAfterEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GossipSub between our router and js-libp2p's {@code @libp2p/gossipsub} 17.1.1, both directions. */
class JsInteropGossipSubTest {
  private static final String TOPIC = "interop-topic";
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private JavaNode javaNode(SignaturePolicy policy) throws Exception {
    JavaNode n = new JavaNode(GossipSubConfig.builder().signaturePolicy(policy).build());
    closeables.add(n);
    return n;
  }

  private JsPubsubPeer jsNode(boolean sign) throws Exception {
    JsPubsubPeer js = JsPubsubPeer.start(Map.of("sign", sign));
    closeables.add(js);
    return js;
  }

  @Test
  void gossipFlowsBothWaysUnderStrictSignWithJsAsMeshMember() throws Exception {
    gossipBothWays(SignaturePolicy.STRICT_SIGN, true);
  }

  @Test
  void gossipFlowsBothWaysUnderStrictNoSignWithJsAsMeshMember() throws Exception {
    gossipBothWays(SignaturePolicy.STRICT_NO_SIGN, false);
  }

  private void gossipBothWays(SignaturePolicy policy, boolean sign) throws Exception {
    JavaNode j = javaNode(policy);
    JsPubsubPeer js = jsNode(sign);
    js.subscribe(TOPIC);
    j.host.dial(js.address()).get(10, TimeUnit.SECONDS);
    // we subscribe once we know js's topics, so our SUBSCRIBE and GRAFT travel in one RPC: js grafts
    // us back on seeing the subscription, and then handles our GRAFT, so each side receives a GRAFT
    await().atMost(WAIT).until(() -> j.gs.topicPeers(TOPIC).contains(js.peerId()) && j.gs.protocolOf(js.peerId()) != null);
    j.gs.subscribe(TOPIC, j::onMessage);

    awaitOrDump(j, js, () -> j.gs.meshPeers(TOPIC).contains(js.peerId())
        && js.mesh(TOPIC).contains(j.host.peerId().toString()));
    await().atMost(WAIT).until(() -> !js.events("graftReceived", e -> e.get("peerId").getAsString()
        .equals(j.host.peerId().toString())).isEmpty());
    await().atMost(WAIT).until(() -> j.gs.metric("graft.received") >= 1);
    assertThat(j.gs.protocolOf(js.peerId())).isEqualTo(GossipSub.MESHSUB_V12);

    for (int i = 0; i < 5; i++) {
      j.gs.publish(TOPIC, ("from-java-" + i).getBytes(StandardCharsets.UTF_8));
      js.publish(TOPIC, "from-js-" + i);
    }
    await().atMost(WAIT).until(() -> js.received(TOPIC).size() >= 5 && j.received.size() >= 5);
    Thread.sleep(1500); // duplicates would arrive by now (heartbeat gossip is 1 s)
    assertThat(js.received(TOPIC)).containsExactlyInAnyOrder(
        "from-java-0", "from-java-1", "from-java-2", "from-java-3", "from-java-4");
    assertThat(j.received.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList())
        .containsExactlyInAnyOrder("from-js-0", "from-js-1", "from-js-2", "from-js-3", "from-js-4");
    if (sign) {
      assertThat(j.received).allSatisfy(m -> assertThat(m.from()).isEqualTo(js.peerId()));
      assertThat(js.events("message", e -> true)).allSatisfy(
          e -> assertThat(e.get("from").getAsString()).isEqualTo(j.host.peerId().toString()));
    } else {
      assertThat(j.received).allSatisfy(m -> assertThat(m.from()).isNull());
    }
    assertThat(j.gs.metric("msg.invalid")).isZero();
  }

  private static void awaitOrDump(JavaNode j, JsPubsubPeer js, java.util.concurrent.Callable<Boolean> condition) {
    try {
      await().atMost(WAIT).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + j.gs.dump() + "js stderr:\n" + js.stderr(), e);
    }
  }

  @Test
  void aMessageOurValidatorRejectsIsNotForwardedToJs() throws Exception {
    JavaNode j = javaNode(SignaturePolicy.STRICT_SIGN);
    j.gs.setValidator(TOPIC, m -> new String(m.data(), StandardCharsets.UTF_8).startsWith("bad")
        ? ValidationResult.REJECT : ValidationResult.ACCEPT);
    j.gs.subscribe(TOPIC, j::onMessage);
    JsPubsubPeer a = jsNode(true);
    JsPubsubPeer b = jsNode(true);
    a.subscribe(TOPIC);
    b.subscribe(TOPIC);
    // a - java - b: js peers reach each other only through us
    a.dial(j.address());
    b.dial(j.address());
    await().atMost(WAIT).until(() -> j.gs.meshPeers(TOPIC).containsAll(List.of(a.peerId(), b.peerId()))
        && a.mesh(TOPIC).contains(j.host.peerId().toString()) && b.mesh(TOPIC).contains(j.host.peerId().toString()));

    a.publish(TOPIC, "bad-1");
    a.publish(TOPIC, "good-1");
    await().atMost(WAIT).until(() -> b.received(TOPIC).contains("good-1"));
    await().atMost(WAIT).until(() -> j.gs.metric("msg.rejected") == 1);
    Thread.sleep(1500);
    assertThat(b.received(TOPIC)).containsExactly("good-1");
    assertThat(j.received.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList())
        .containsExactly("good-1");
  }

  @Test
  void aMixedMeshOfThreeJavaAndThreeJsNodesDeliversEveryMessageToEveryNode() throws Exception {
    List<JavaNode> java = new ArrayList<>();
    List<JsPubsubPeer> js = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      java.add(javaNode(SignaturePolicy.STRICT_SIGN));
      js.add(jsNode(true));
    }
    for (JavaNode n : java) {
      n.gs.subscribe(TOPIC, n::onMessage);
    }
    for (JsPubsubPeer p : js) {
      p.subscribe(TOPIC);
    }
    // a ring j0 - js0 - j1 - js1 - j2 - js2 - j0, dialled from both sides
    for (int i = 0; i < 3; i++) {
      java.get(i).host.dial(js.get(i).address()).get(10, TimeUnit.SECONDS);
      js.get(i).dial(java.get((i + 1) % 3).address());
    }
    await().atMost(WAIT).until(() -> {
      for (int i = 0; i < 3; i++) {
        if (java.get(i).gs.meshPeers(TOPIC).size() < 2 || js.get(i).mesh(TOPIC).size() < 2) {
          return false;
        }
      }
      return true;
    });
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 3; k++) {
        String jm = "java" + i + "-" + k;
        String sm = "js" + i + "-" + k;
        java.get(i).gs.publish(TOPIC, jm.getBytes(StandardCharsets.UTF_8));
        js.get(i).publish(TOPIC, sm);
        all.add(jm);
        all.add(sm);
      }
    }
    await().atMost(WAIT).until(() -> java.stream().allMatch(n -> n.received.size() >= 15)
        && js.stream().allMatch(p -> p.received(TOPIC).size() >= 15));
    Thread.sleep(1500);
    for (int i = 0; i < 3; i++) {
      String prefix = "java" + i + "-";
      assertThat(java.get(i).received.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList())
          .containsExactlyInAnyOrderElementsOf(all.stream().filter(s -> !s.startsWith(prefix)).toList());
      String jsPrefix = "js" + i + "-";
      assertThat(js.get(i).received(TOPIC))
          .containsExactlyInAnyOrderElementsOf(all.stream().filter(s -> !s.startsWith(jsPrefix)).toList());
    }
  }
}
