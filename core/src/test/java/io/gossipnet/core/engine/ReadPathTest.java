package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.filter.Digest;
import io.gossipnet.core.interest.MessageOfInterest;
import io.gossipnet.core.memory.StubPeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadPathTest extends EngineTestSupport {

  private static List<TaggedHandler> collect(Tag tag, ConcurrentLinkedQueue<IncomingMessage> into) {
    return List.of(new TaggedHandler(tag, m -> {
      into.add(m);
      return OutgoingMessage.ignore();
    }));
  }

  @Test
  void aRegisteredHandlerSeesTheMessageWithItsSender() throws Exception {
    NetworkEngine node = node("a");
    ConcurrentLinkedQueue<IncomingMessage> got = new ConcurrentLinkedQueue<>();
    node.registerHandlers(collect(Tags.TX, got));
    StubPeer b = stub(node, "b");
    b.send(Tags.TX, new byte[] {1, 2, 3});
    await().atMost(WAIT).until(() -> got.size() == 1);
    IncomingMessage m = got.peek();
    assertThat(m.data()).containsExactly(1, 2, 3);
    assertThat(m.sender()).isEqualTo(peerNamed(node, "b"));
    assertThat(m.outgoing()).isFalse();
    assertThat(m.network()).isSameAs(node);
  }

  @Test
  void anUnknownTagIsCountedAndDroppedWithoutDisconnecting() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    b.sendRaw(new byte[] {'Z', 'Z', 1, 2});
    await().atMost(WAIT).until(() -> node.metrics().unknownTagMessages.count() == 1);
    assertThat(b.isClosed()).isFalse();
    assertThat(node.connectedPeers()).hasSize(1);
  }

  @Test
  void aMessageOverItsTagLimitClosesThePeerWithReadError() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    b.send(Tags.AV, new byte[Tags.AV.maxPayloadSize() + 1]);
    await().atMost(WAIT).until(b::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.READ_ERROR)).isEqualTo(1);
  }

  @Test
  void aMessageExactlyAtItsTagLimitIsAccepted() throws Exception {
    NetworkEngine node = node("a");
    ConcurrentLinkedQueue<IncomingMessage> got = new ConcurrentLinkedQueue<>();
    node.registerHandlers(collect(Tags.AV, got));
    StubPeer b = stub(node, "b");
    b.send(Tags.AV, new byte[Tags.AV.maxPayloadSize()]);
    await().atMost(WAIT).until(() -> got.size() == 1);
    assertThat(b.isClosed()).isFalse();
  }

  @Test
  void aFrameShorterThanATagClosesThePeer() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    b.sendRaw(new byte[] {'T'});
    await().atMost(WAIT).until(b::isClosed);
  }

  @Test
  void theMessageOfInterestFilterHoldsBackUnrequestedTags() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    b.send(Tags.MI, MessageOfInterest.encode(List.of(Tags.AV, Tags.MI)));
    // MI is applied in the write loop in order, so a message queued after it sees the new filter.
    await().atMost(WAIT).until(() -> {
      node.broadcast(Tags.AV, new byte[] {0}, true, null);
      return b.receive(Tags.AV, Duration.ofMillis(50)) != null;
    });
    node.broadcast(Tags.TX, new byte[] {1}, true, null);
    node.broadcast(Tags.AV, new byte[] {2}, true, null);
    assertThat(b.receive(Tags.AV, WAIT).payload()).containsExactly(2);
    assertThat(b.drain()).noneMatch(m -> m.tagCode() == Tags.TX.code());
    assertThat(node.metrics().unrequestedTagDropped.count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void anApplicationTagGoesToAPeerThatAnnouncedNoListAndNotToOneWhoseListLeavesItOut() throws Exception {
    Tag kv = Tag.of("KV", 1024, false, true);
    NetworkEngine node = node("a", b -> b.tags(Tags.defaultsPlus(kv)));
    StubPeer b = stub(node, "b");
    // The default list cannot name an application tag: a peer that announced nothing gets it.
    node.broadcast(kv, new byte[] {1}, true, null);
    assertThat(b.receive(kv, WAIT).payload()).containsExactly(1);

    b.send(Tags.MI, MessageOfInterest.encode(List.of(Tags.AV, Tags.MI)));
    await().atMost(WAIT).until(() -> {
      node.broadcast(Tags.AV, new byte[] {0}, true, null);
      return b.receive(Tags.AV, Duration.ofMillis(50)) != null;
    });
    node.broadcast(kv, new byte[] {2}, true, null);
    node.broadcast(Tags.AV, new byte[] {3}, true, null);
    assertThat(b.receive(Tags.AV, WAIT).payload()).containsExactly(3);
    assertThat(b.drain()).noneMatch(m -> m.tagCode() == kv.code());
  }

  @Test
  void aHandlerOfAnApplicationTagAsksPeersForItAndClearingTheHandlersTakesItBack() throws Exception {
    Tag kv = Tag.of("KV", 1024, false, true);
    NetworkEngine node = node("a", b -> b.tags(Tags.defaultsPlus(kv)));
    StubPeer b = stub(node, "b");
    // A relay announces its list (with SP) as a peer connects; the handler's tag comes in a newer one.
    node.registerHandlers(collect(kv, new ConcurrentLinkedQueue<>()));
    var announced = nextInterest(b, kv, true);
    assertThat(announced.contains(Tags.TX)).as("the default list is kept").isTrue();

    node.clearHandlers();
    var after = nextInterest(b, kv, false);
    assertThat(after.contains(Tags.TX)).isTrue();
  }

  /** The first message-of-interest list b receives that does (or does not) name the tag. */
  private static io.gossipnet.core.interest.TagSet nextInterest(StubPeer b, Tag tag, boolean named) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      var mi = b.receive(Tags.MI, WAIT);
      if (mi == null) {
        break;
      }
      var tags = MessageOfInterest.decode(mi.payload(), Tags.defaultsPlus(tag));
      if (tags.contains(tag) == named) {
        return tags;
      }
    }
    throw new AssertionError("no message-of-interest list " + (named ? "naming " : "without ") + tag);
  }

  @Test
  void aMessageOfInterestNamingAnUnknownTagDisconnects() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    byte[] bad = io.gossipnet.core.Topics.of(io.gossipnet.core.Topic.of("tags", "AV,QQ")).encode();
    b.send(Tags.MI, bad);
    await().atMost(WAIT).until(b::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.BAD_DATA)).isEqualTo(1);
  }

  @Test
  void theDuplicateFilterSuppressesRepeats() throws Exception {
    NetworkEngine node = node("a", c -> c.enableIncomingMessageFilter(true));
    ConcurrentLinkedQueue<IncomingMessage> got = new ConcurrentLinkedQueue<>();
    node.registerHandlers(collect(Tags.TX, got));
    StubPeer b = stub(node, "b");
    StubPeer c = stub(node, "c");
    b.send(Tags.TX, new byte[] {9, 9});
    c.send(Tags.TX, new byte[] {9, 9});
    b.send(Tags.TX, new byte[] {9, 9});
    b.send(Tags.TX, new byte[] {9, 8});
    await().atMost(WAIT).until(() -> node.metrics().duplicateMessagesReceived.count() == 2);
    await().atMost(WAIT).until(() -> got.size() == 2);
  }

  @Test
  void theDuplicateFilterLeavesTagsThatAreNotDedupSafeAlone() throws Exception {
    NetworkEngine node = node("a", c -> c.enableIncomingMessageFilter(true));
    ConcurrentLinkedQueue<IncomingMessage> got = new ConcurrentLinkedQueue<>();
    node.registerHandlers(collect(Tags.VB, got));
    StubPeer b = stub(node, "b");
    b.send(Tags.VB, new byte[] {1});
    b.send(Tags.VB, new byte[] {1});
    await().atMost(WAIT).until(() -> got.size() == 2);
  }

  @Test
  void anMsDigestStopsALargeMessageToThatPeer() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    StubPeer c = stub(node, "c");
    ConcurrentLinkedQueue<IncomingMessage> got = new ConcurrentLinkedQueue<>();
    node.registerHandlers(collect(Tags.VB, got));
    byte[] big = new byte[6000];
    big[0] = 1;
    b.send(Tags.MS, Digest.of(Tags.TX, big).toBytes());
    // b's read loop handles its messages in order: once VB reached the handler, MS was applied.
    b.send(Tags.VB, new byte[] {1});
    await().atMost(WAIT).until(() -> got.size() == 1);
    node.broadcast(Tags.TX, big, true, null);
    assertThat(c.receive(Tags.TX, WAIT)).isNotNull();
    assertThat(b.receive(Tags.TX, Duration.ofMillis(300))).isNull();
    assertThat(node.metrics().outgoingFilteredOut.count()).isEqualTo(1);
  }

  @Test
  void receivingALargeMessageTellsTheOtherPeersNotToSendIt() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    StubPeer c = stub(node, "c");
    byte[] big = new byte[5000];
    b.send(Tags.TX, big);
    var ms = c.receive(Tags.MS, WAIT);
    assertThat(ms).isNotNull();
    assertThat(ms.payload()).containsExactly(Digest.of(Tags.TX, big).toBytes());
    assertThat(b.receive(Tags.MS, Duration.ofMillis(200))).as("not sent back to the sender").isNull();
  }

  @Test
  void aMalformedMsDigestDisconnects() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    b.send(Tags.MS, new byte[5]);
    await().atMost(WAIT).until(b::isClosed);
  }

  @Test
  void aFloodingPeerDoesNotStarveAnother() throws Exception {
    // One handler thread and a tiny read buffer make starvation easy if fairness is missing.
    NetworkEngine node = node("a", c -> c.handlerThreads(1).readBufferSize(12).messagesPerPeerInReadBuffer(10));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger fromQuiet = new AtomicInteger();
    AtomicInteger fromFlood = new AtomicInteger();
    AtomicInteger floodHandledBeforeQuiet = new AtomicInteger(-1);
    node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
      if (((WsPeer) m.sender()).address().endsWith("quiet")) {
        floodHandledBeforeQuiet.set(fromFlood.get());
        fromQuiet.incrementAndGet();
      } else {
        fromFlood.incrementAndGet();
      }
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return OutgoingMessage.ignore();
    })));
    StubPeer flood = stub(node, "flood");
    StubPeer quiet = stub(node, "quiet");
    for (int i = 0; i < 500; i++) {
      flood.send(Tags.TX, new byte[] {(byte) i, (byte) (i >> 8)});
    }
    await().atMost(WAIT).until(() -> fromFlood.get() == 1);
    // The flood holds all its tokens: one message in hand, ten waiting in the read buffer.
    await().atMost(WAIT).until(() -> readBufferSize(node) == 10);
    quiet.send(Tags.TX, new byte[] {1});
    // The quiet peer still gets a place in the buffer although the flood keeps sending.
    await().atMost(WAIT).until(() -> readBufferSize(node) == 11);
    release.countDown();
    // The quiet peer's message is handled long before the flood's 500 are.
    await().atMost(WAIT).until(() -> fromQuiet.get() == 1);
    // Only the flood's 10 buffered messages and the one in hand were ahead of it.
    assertThat(floodHandledBeforeQuiet.get()).isEqualTo(11);
  }

  @Test
  void aPeerCloseReleasesItsQueuedMessages() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    WsPeer peer = peerNamed(node, "b");
    b.stallReading();
    // Fill the link so the write loop blocks, then queue responses with onRelease callbacks.
    for (int i = 0; i < 4200; i++) {
      node.broadcast(Tags.TX, new byte[] {1}, true, null);
    }
    AtomicInteger released = new AtomicInteger();
    IncomingMessage fakeRequest = new IncomingMessage(peer, Tags.UE, new byte[] {0}, node, 0, false);
    for (int i = 0; i < 10; i++) {
      peer.respond(fakeRequest, OutgoingMessage.respond(io.gossipnet.core.Topics.empty(), released::incrementAndGet));
    }
    peer.close(DisconnectReason.DISCONNECT_REQUEST);
    await().atMost(WAIT).until(() -> released.get() == 10);
  }

  @Test
  void closingHappensOnceWithTheFirstReason() throws Exception {
    NetworkEngine node = node("a");
    stub(node, "b");
    WsPeer peer = peerNamed(node, "b");
    peer.close(DisconnectReason.SLOW_CONNECTION);
    peer.close(DisconnectReason.BAD_DATA);
    assertThat(peer.closed().get()).isEqualTo(DisconnectReason.SLOW_CONNECTION);
    assertThat(node.metrics().disconnectCount(DisconnectReason.SLOW_CONNECTION)).isEqualTo(1);
    assertThat(node.metrics().disconnectCount(DisconnectReason.BAD_DATA)).isZero();
    assertThat(node.connectedPeers()).isEmpty();
  }

  private static double readBufferSize(NetworkEngine node) {
    return node.metrics().registry().get("gossipnet.read.buffer.size").gauge().value();
  }
}
