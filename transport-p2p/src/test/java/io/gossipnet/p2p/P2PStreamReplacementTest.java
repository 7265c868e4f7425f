package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
  private Host raw;

  @AfterEach
  void stop() {
    if (raw != null) {
      raw.close();
    }
    if (node != null) {
      node.stop();
    }
  }

  /** A node, and a raw host whose peer ID sorts lower (so it opens the streams) connected to it. */
  private Connection connect() throws Exception {
    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    boolean aLower = a.publicKey().toPeerId().compareTo(b.publicKey().toPeerId()) < 0;
    node = new P2PNetwork(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(0).build(),
        P2PConfig.builder().privateKey(aLower ? b : a).build(), registry);
    node.registerHandlers(List.of(new TaggedHandler(Tags.AV, m -> {
      received.add(m);
      return OutgoingMessage.ignore();
    })));
    node.start();
    raw = Host.builder().identity(aLower ? a : b).build().start();
    return raw.dial(Multiaddr.fromString(node.address().orElseThrow())).get(10, TimeUnit.SECONDS);
  }

  /** Opens a gossip stream and runs the exchange as the connection's dialer. */
  private static Stream openGossipStream(Connection c) throws Exception {
    Stream s = c.newStream(List.of(P2PTransport.GOSSIP_V22)).get(10, TimeUnit.SECONDS);
    MetadataExchange.outgoing(s.in(), s.out(),
        new MetadataExchange.Local("", "", GENESIS, List.of(), MetadataExchange.PROTOCOL_VERSION, MetadataExchange.SUPPORTED_VERSIONS));
    return s;
  }

  private static void sendAv(Stream s, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] msg = new byte[2 + payload.length];
    msg[0] = 'A';
    msg[1] = 'V';
    System.arraycopy(payload, 0, msg, 2, payload.length);
    MessageFrames.write(s.out(), msg);
    s.out().flush();
  }

  private double counted(String name) {
    Counter c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  private static boolean ended(InputStream in) {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aNewerStreamFromThePeerReplacesTheOldOneOnTheSameConnection() throws Exception {
    Connection c = connect();
    Stream first = openGossipStream(c);
    await().atMost(WAIT).until(() -> node.connectedPeers().size() == 1);
    sendAv(first, "on the first stream");
    await().atMost(WAIT).until(() -> received.size() == 1);

    Stream second = openGossipStream(c);
    await().atMost(WAIT).until(() -> counted("gossipnet.p2p.streams.replaced") == 1);
    assertThat(ended(first.in())).as("the old stream is reset").isTrue();
    sendAv(second, "on the second stream");
    await().atMost(WAIT).until(() -> received.size() == 2);

    assertThat(new String(received.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("on the second stream");
    assertThat(node.connectedPeers()).hasSize(1);
    assertThat(c.isOpen()).as("the connection both streams ran on").isTrue();
    assertThat(node.metrics().disconnectCount(io.gossipnet.core.DisconnectReason.STREAM_REPLACED))
        .as("the replaced peer's disconnect reason").isEqualTo(1);
  }
}
