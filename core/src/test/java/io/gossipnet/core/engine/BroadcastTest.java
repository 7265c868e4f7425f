package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.Tags;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.memory.StubPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BroadcastTest extends EngineTestSupport {

  @Test
  void broadcastReachesEveryPeerWithTagAndPayloadIntact() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    StubPeer c = stub(node, "c");
    node.broadcast(Tags.TX, "hello".getBytes(StandardCharsets.UTF_8), true, null);
    for (StubPeer s : List.of(b, c)) {
      InboundMessage m = s.receive(Tags.TX, WAIT);
      assertThat(m).isNotNull();
      assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void broadcastSkipsTheExceptedPeer() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    StubPeer c = stub(node, "c");
    node.broadcast(Tags.TX, new byte[] {1}, true, peerNamed(node, "b"));
    node.broadcast(Tags.TX, new byte[] {2}, true, null);
    assertThat(c.receive(Tags.TX, WAIT).payload()).containsExactly(1);
    assertThat(c.receive(Tags.TX, WAIT).payload()).containsExactly(2);
    InboundMessage first = b.receive(Tags.TX, WAIT);
    assertThat(first.payload()).as("b was excepted from the first broadcast").containsExactly(2);
  }

  @Test
  void highPriorityOvertakesBulk() throws Exception {
    // A one-frame link: once the stub stops reading, the write loop blocks and messages queue up.
    net.defaultConditions(io.gossipnet.core.memory.LinkConditions.PERFECT.withBufferMessages(1));
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    WsPeer peer = peerNamed(node, "b");
    b.stallReading();
    byte[] filler = new byte[1000];
    int bulk = 0;
    while (peer.queuedMessages() < 50) {
      node.broadcast(Tags.TX, filler, true, null);
      bulk++;
    }
    node.broadcast(Tags.AV, new byte[] {42}, true, null);
    b.resumeReading();
    List<Integer> tagsAfterStall = new ArrayList<>();
    int seen = 0;
    while (seen < bulk + 1) {
      InboundMessage m = b.receive(WAIT);
      assertThat(m).isNotNull();
      if (m.tagCode() == Tags.MI.code()) {
        continue;
      }
      seen++;
      tagsAfterStall.add(m.tagCode());
    }
    int avIndex = tagsAfterStall.indexOf(Tags.AV.code());
    assertThat(avIndex).as("AV position among %d messages", seen).isGreaterThanOrEqualTo(0);
    assertThat(seen - 1 - avIndex).as("bulk messages that were still queued went out after the AV").isGreaterThanOrEqualTo(40);
  }

  @Test
  void aFullPeerQueueDropsOnlyForThatPeerAndIsCounted() throws Exception {
    NetworkEngine node = node("a", b -> b.peerSendQueueSize(2000));
    StubPeer slow = stub(node, "slow");
    StubPeer fast = stub(node, "fast");
    slow.stallReading();
    int n = 8000; // more than the stalled link's buffer (4096) plus the peer queue (2000)
    for (int i = 0; i < n; i++) {
      node.broadcast(Tags.TX, new byte[] {(byte) i}, true, null);
    }
    AtomicInteger fastGot = new AtomicInteger();
    await().atMost(WAIT).until(() -> fastGot.addAndGet(countTx(fast.drain())) >= n);
    assertThat(fastGot.get()).isEqualTo(n);
    assertThat(node.metrics().peerBroadcastDropped.count()).isGreaterThan(0);
    assertThat(slow.isClosed()).as("a full queue drops messages, it does not close the peer").isFalse();
  }

  private static int countTx(List<InboundMessage> frames) {
    return (int) frames.stream().filter(m -> m.tagCode() == Tags.TX.code()).count();
  }

  @Test
  void aNonWaitingBroadcastOnAFullQueueFailsAndIsCounted() throws Exception {
    NetworkEngine node = node("a", b -> b.broadcastQueueBulkSize(1));
    // No peer: the broadcaster holds the first request while it waits for a peer.
    node.broadcast(Tags.TX, new byte[] {1}, false, null);
    await().atMost(WAIT).untilAsserted(() ->
        assertThatThrownBy(() -> {
              node.broadcast(Tags.TX, new byte[] {2}, false, null);
              node.broadcast(Tags.TX, new byte[] {3}, false, null);
            })
            .isInstanceOf(GossipException.QueueFull.class));
    assertThat(node.metrics().broadcastQueueFull.count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void relayIsABroadcastOnlyOnRelayingNodes() throws Exception {
    NetworkEngine relay = node("relay");
    StubPeer r = stub(relay, "x");
    relay.relay(Tags.TX, new byte[] {7}, true, null);
    assertThat(r.receive(Tags.TX, WAIT).payload()).containsExactly(7);

    NetworkEngine nonRelay = node("plain", b -> b.incomingConnectionsLimit(0).listenAddress(""));
    assertThat(nonRelay.config().relays()).isFalse();
    nonRelay.relay(Tags.TX, new byte[] {8}, false, null);
    assertThat(nonRelay.metrics().broadcasts.count()).isZero();
  }

  @Test
  void broadcastConnectionsLimitCapsTheNumberOfPeers() throws Exception {
    NetworkEngine node = node("a", b -> b.broadcastConnectionsLimit(1));
    StubPeer b1 = stub(node, "b1");
    StubPeer b2 = stub(node, "b2");
    node.broadcast(Tags.TX, new byte[] {1}, true, null);
    InboundMessage m1 = b1.receive(Tags.TX, Duration.ofSeconds(1));
    InboundMessage m2 = b2.receive(Tags.TX, Duration.ofSeconds(1));
    assertThat((m1 == null ? 0 : 1) + (m2 == null ? 0 : 1)).isEqualTo(1);
  }

  @Test
  void aBroadcastOlderThanTheQueueDurationIsDroppedAndCounted() throws Exception {
    NetworkEngine node = node("a", b -> b.maxMessageQueueDuration(Duration.ofMillis(200)));
    // No peers: the request waits for a first peer until it goes stale.
    node.broadcast(Tags.TX, new byte[] {1}, false, null);
    await().atMost(WAIT).until(() -> node.metrics().broadcastsDropped.count() == 1);
  }

  @Test
  void disabledNetworkingMakesBroadcastANoOp() throws Exception {
    NetworkEngine node = node("a", b -> b.disableNetworking(true));
    StubPeer b = stub(node, "b");
    node.broadcast(Tags.TX, new byte[] {1}, true, null);
    assertThat(b.receive(Tags.TX, Duration.ofMillis(300))).isNull();
  }
}
