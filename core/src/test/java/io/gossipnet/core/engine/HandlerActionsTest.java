package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.Topic;
import io.gossipnet.core.Topics;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.memory.StubPeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandlerActionsTest extends EngineTestSupport {

  @Test
  void theDisconnectActionClosesTheSenderWithItsReason() throws Exception {
    NetworkEngine node = node("a");
    node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> OutgoingMessage.disconnect())));
    StubPeer b = stub(node, "b");
    b.send(Tags.TX, new byte[] {1});
    await().atMost(WAIT).until(b::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.BAD_DATA)).isEqualTo(1);
    assertThat(node.connectedPeers()).isEmpty();
  }

  @Test
  void theBroadcastActionForwardsToEveryoneButTheSender() throws Exception {
    NetworkEngine node = node("a");
    node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> OutgoingMessage.broadcast())));
    StubPeer b = stub(node, "b");
    StubPeer c = stub(node, "c");
    StubPeer d = stub(node, "d");
    b.send(Tags.TX, new byte[] {5});
    assertThat(c.receive(Tags.TX, WAIT).payload()).containsExactly(5);
    assertThat(d.receive(Tags.TX, WAIT).payload()).containsExactly(5);
    assertThat(b.receive(Tags.TX, Duration.ofMillis(300))).isNull();
  }

  @Test
  void theRespondActionSendsATopicResponseWithTheRequestHash() throws Exception {
    NetworkEngine node = node("a");
    node.registerHandlers(List.of(new TaggedHandler(Tags.UE, m -> OutgoingMessage.respond(Topics.of(Topic.of("blockData", "B"))))));
    StubPeer b = stub(node, "b");
    byte[] request = Topics.of(Topic.of("roundKey", "7")).encode();
    b.send(Tags.UE, request);
    InboundMessage ts = b.receive(Tags.TS, WAIT);
    assertThat(ts).isNotNull();
    Topics response = Topics.decode(ts.payload());
    assertThat(response.getString("blockData")).contains("B");
    assertThat(Topics.readUvarint(response.get(Topics.REQUEST_HASH_KEY).orElseThrow())).isEqualTo(Topics.hash(request));
  }

  @Test
  void registeringATagTwiceIsAnError() {
    NetworkEngine node = node("a");
    node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> OutgoingMessage.ignore())));
    assertThatThrownBy(() -> node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> OutgoingMessage.ignore()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TX");
    node.clearHandlers();
    node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> OutgoingMessage.ignore())));
  }

  @Test
  void aThrowingHandlerDoesNotStopTheOthers() throws Exception {
    NetworkEngine node = node("a", c -> c.handlerThreads(1));
    AtomicInteger calls = new AtomicInteger();
    node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("boom");
      }
      return OutgoingMessage.ignore();
    })));
    StubPeer b = stub(node, "b");
    b.send(Tags.TX, new byte[] {1});
    b.send(Tags.TX, new byte[] {2});
    await().atMost(WAIT).until(() -> calls.get() == 2);
    assertThat(b.isClosed()).isFalse();
  }

  @Test
  void requestResponseRoundTripBetweenTwoNodes() throws Exception {
    NetworkEngine server = node("server");
    NetworkEngine client = node("client", c -> c.relayPeers(List.of("mem://server")));
    server.registerHandlers(List.of(new TaggedHandler(Tags.UE, m -> {
      Topics req = Topics.decode(m.data());
      return OutgoingMessage.respond(Topics.of(Topic.of("echo", req.getString("q").orElse("?"))));
    })));
    client.requestConnectOutgoing(true);
    await().atMost(WAIT).until(() -> !client.connectedPeers().isEmpty());
    WsPeer toServer = client.connectedPeers().get(0);
    Topics a = toServer.request(Tags.UE, Topics.of(Topic.of("q", "one"))).get(10, TimeUnit.SECONDS);
    Topics b = toServer.request(Tags.UE, Topics.of(Topic.of("q", "one"))).get(10, TimeUnit.SECONDS);
    assertThat(a.getString("echo")).contains("one");
    assertThat(b.getString("echo")).contains("one");
  }

  @Test
  void aLateResponseIsDiscardedWithoutDisconnecting() throws Exception {
    NetworkEngine server = node("server");
    NetworkEngine client = node("client", c -> c.relayPeers(List.of("mem://server")));
    CountDownLatch answer = new CountDownLatch(1);
    server.registerHandlers(List.of(new TaggedHandler(Tags.UE, m -> {
      try {
        answer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return OutgoingMessage.respond(Topics.of(Topic.of("late", "yes")));
    })));
    client.requestConnectOutgoing(true);
    await().atMost(WAIT).until(() -> !client.connectedPeers().isEmpty());
    WsPeer toServer = client.connectedPeers().get(0);
    CompletableFuture<Topics> f = toServer.request(Tags.UE, Topics.of(Topic.of("q", "x")));
    f.cancel(true);
    answer.countDown();
    await().atMost(WAIT).until(() -> client.metrics().lateTopicResponses.count() == 1);
    assertThat(toServer.isClosed()).isFalse();
  }

  @Test
  void anUnsolicitedTopicResponseDisconnects() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    b.send(Tags.TS, Topics.of(new Topic(Topics.REQUEST_HASH_KEY, Topics.uvarint(1))).encode());
    await().atMost(WAIT).until(b::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.UNEXPECTED_TOPIC_RESPONSE)).isEqualTo(1);
  }

  @Test
  void aRequestToAPeerThatClosesFails() throws Exception {
    NetworkEngine node = node("a");
    StubPeer b = stub(node, "b");
    WsPeer peer = peerNamed(node, "b");
    CompletableFuture<Topics> f = peer.request(Tags.UE, Topics.empty());
    b.close();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasMessageContaining("closed");
  }
}
