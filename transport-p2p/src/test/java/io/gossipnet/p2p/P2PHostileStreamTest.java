package io.gossipnet.p2p;

import static io.gossipnet.p2p.RawGossipPeer.ended;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on a live gossip stream (after the exchange): a node with one well-behaved
 * {@link P2PNetwork} peer and one raw peer that misbehaves. The raw peer's stream is ended or held
 * as the seed does; the good peer's messages keep arriving.
 */
class P2PHostileStreamTest {
  private static final String GENESIS = "hostile-stream-test";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<IncomingMessage> received = new CopyOnWriteArrayList<>();
  private P2PNetwork node;
  private P2PNetwork good;
  private RawGossipPeer raw;

  @BeforeEach
  void start() throws Exception {
    PrivateKey[] keys = RawGossipPeer.orderedKeys();
    node = new P2PNetwork(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(0).build(),
        P2PConfig.builder().privateKey(keys[1]).build(), new SimpleMeterRegistry());
    node.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> {
      received.add(m);
      return OutgoingMessage.ignore();
    })));
    node.start();
    good = new P2PNetwork(NetworkConfig.builder(GENESIS).relayPeers(List.of(node.address().orElseThrow())).gossipFanout(1)
        .meshInterval(Duration.ofMillis(200)).build(), P2PConfig.defaults(), new SimpleMeterRegistry());
    good.start();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1 && good.connectedPeers().size() == 1);
    raw = RawGossipPeer.dial(keys[0], node.address().orElseThrow(), GENESIS);
  }

  @AfterEach
  void stop() {
    if (raw != null) {
      raw.close();
    }
    for (P2PNetwork n : new P2PNetwork[] {good, node}) {
      if (n != null) {
        n.stop();
      }
    }
  }

  /** The good peer broadcasts until the node has its message (the stream may still be settling). */
  private void goodPeerStillGetsThrough(String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      good.broadcast(Tags.AV, data, false, null);
      assertThat(received).anySatisfy(m -> assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo(text));
    });
  }

  @Test
  void aLengthPrefixOverSixMiBEndsThatStreamAtOnceWithAReadError() throws Exception {
    Stream s = raw.openGossipStream();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 2);
    double before = node.metrics().disconnectCount(DisconnectReason.READ_ERROR);
    // 7 MiB announced, a few bytes sent: the node must not wait for the rest, nor allocate it.
    s.out().write(new byte[] {0x00, 0x70, 0x00, 0x00, 'A', 'V', 1, 2, 3});
    s.out().flush();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    assertThat(node.metrics().disconnectCount(DisconnectReason.READ_ERROR)).isEqualTo(before + 1);
    assertThat(ended(s.in())).isTrue();
    goodPeerStillGetsThrough("after the oversized frame");
  }

  @Test
  void aPayloadOverItsTagsLimitEndsThatStreamBeforeThePayloadIsRead() throws Exception {
    Stream s = raw.openGossipStream();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 2);
    // AV allows at most 1228 bytes of payload: 5000 announced, only the tag sent.
    s.out().write(new byte[] {0x00, 0x00, 0x13, (byte) 0x8a, 'A', 'V'});
    s.out().flush();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    assertThat(ended(s.in())).isTrue();
    goodPeerStillGetsThrough("after the over-limit payload");
  }

  @Test
  void aStreamThatStallsMidMessageHoldsOnlyItsOwnPeer() throws Exception {
    Stream s = raw.openGossipStream();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 2);
    // 100 bytes announced, 10 sent, then nothing: P2P has no idle or slow-writer check (inventory 7.3).
    s.out().write(new byte[] {0, 0, 0, 100, 'A', 'V', 1, 2, 3, 4, 5, 6, 7, 8});
    s.out().flush();
    goodPeerStillGetsThrough("while the raw peer stalls");
    assertThat(node.connectedPeers()).as("the stalled peer is held, the good one served").hasSize(2);
    s.out().write(new byte[90]); // the rest of the 98-byte payload
    s.out().flush();
    await().atMost(WAIT).until(() -> received.stream().anyMatch(m -> m.data().length == 98));
  }
}
