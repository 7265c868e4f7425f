package io.gossipnet.p2p;

import static io.gossipnet.p2p.RawGossipPeer.ended;
import static io.gossipnet.p2p.RawGossipPeer.sendAv;
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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's stream rules beyond the first stream (inventory 7.2): a newer gossip stream the peer
 * opens replaces the old one, whose peer is closed with {@code StreamReplaced}, and the libp2p
 * connection both ran on stays open.
 */
class P2PStreamReplacementTest {
  private static final String GENESIS = "replacement-test";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<IncomingMessage> received = new CopyOnWriteArrayList<>();
  private P2PNetwork node;
  private RawGossipPeer raw;

  @AfterEach
  void stop() {
    if (raw != null) {
      raw.close();
    }
    if (node != null) {
      node.stop();
    }
  }

  private double counted(String name) {
    Counter c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aNewerStreamFromThePeerReplacesTheOldOneOnTheSameConnection() throws Exception {
    PrivateKey[] keys = RawGossipPeer.orderedKeys();
    node = new P2PNetwork(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(0).build(),
        P2PConfig.builder().privateKey(keys[1]).build(), registry);
    node.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> {
      received.add(m);
      return OutgoingMessage.ignore();
    })));
    node.start();
    raw = RawGossipPeer.dial(keys[0], node.address().orElseThrow(), GENESIS);

    Stream first = raw.openGossipStream();
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    sendAv(first, "on the first stream");
    await().atMost(WAIT).until(() -> received.size() == 1);

    Stream second = raw.openGossipStream();
    await().atMost(WAIT).until(() -> counted("gossipnet.p2p.streams.replaced") == 1);
    assertThat(ended(first.in())).as("the old stream is reset").isTrue();
    sendAv(second, "on the second stream");
    await().atMost(WAIT).until(() -> received.size() == 2);

    assertThat(new String(received.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("on the second stream");
    assertThat(node.connectedPeers()).hasSize(1);
    assertThat(raw.connection().isOpen()).as("the connection both streams ran on").isTrue();
    assertThat(node.metrics().disconnectCount(DisconnectReason.STREAM_REPLACED)).as("the replaced peer's disconnect reason").isEqualTo(1);
  }
}
