package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.PeerTraffic;
import io.gossipnet.core.Tags;
import io.gossipnet.core.memory.LinkConditions;
import io.gossipnet.core.memory.StubPeer;
import org.junit.jupiter.api.Test;

/** A connected peer counts what its loops read and write, and shows its two queue depths. */
class PeerTrafficTest extends EngineTestSupport {

  @Test
  void theReadLoopCountsEveryMessageAndItsFrameBytes() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    PeerTraffic peer = peerNamed(node, "b");
    assertThat(peer.messagesIn()).isZero();
    b.send(Tags.TX, new byte[10]);
    b.send(Tags.TX, new byte[20]);
    b.send(Tags.AV, new byte[30]);
    await().atMost(WAIT).until(() -> peer.messagesIn() == 3);
    assertThat(peer.bytesIn()).as("payload plus the 2 tag bytes each").isEqualTo(10 + 20 + 30 + 3 * 2);
  }

  @Test
  void theWriteLoopCountsWhatItWrote() throws Exception {
    NetworkEngine node = node("a");
    stub(node, "b");
    PeerTraffic peer = peerNamed(node, "b");
    // The node may have sent its message-of-interest already: count from here.
    await().atMost(WAIT).until(() -> peer.queuedHighPriority() + peer.queuedBulk() == 0);
    long messages = peer.messagesOut();
    long bytes = peer.bytesOut();
    node.broadcast(Tags.TX, new byte[100], true, null);
    node.broadcast(Tags.TX, new byte[50], true, null);
    await().atMost(WAIT).until(() -> peer.messagesOut() == messages + 2);
    assertThat(peer.bytesOut()).isEqualTo(bytes + 100 + 50 + 2 * 2);
  }

  @Test
  void aStalledPeerShowsItsHighAndBulkQueueDepthsApart() throws Exception {
    net.defaultConditions(LinkConditions.PERFECT.withBufferMessages(1));
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    WsPeer peer = peerNamed(node, "b");
    b.stallReading();
    while (peer.queuedBulk() < 5) {
      node.broadcast(Tags.TX, new byte[1000], true, null);
    }
    node.broadcast(Tags.AV, new byte[] {1}, true, null);
    await().atMost(WAIT).until(() -> peer.queuedHighPriority() == 1);
    assertThat(peer.queuedBulk()).isGreaterThanOrEqualTo(5);
    assertThat(peer.queuedHighPriority() + peer.queuedBulk()).isEqualTo(peer.queuedMessages());
    b.resumeReading();
    await().atMost(WAIT).until(() -> peer.queuedMessages() == 0);
  }
}
