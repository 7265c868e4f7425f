package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A raw libp2p peer that breaks the gossip stream's rules: each stream is refused and counted. */
class P2PStreamRefusalTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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

  /** A node and a raw host whose peer ID sorts above ({@code rawHigher}) or below the node's. */
  private Connection connect(boolean rawHigher) throws Exception {
    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    boolean aLower = a.publicKey().toPeerId().compareTo(b.publicKey().toPeerId()) < 0;
    PrivateKey low = aLower ? a : b;
    PrivateKey high = aLower ? b : a;
    node = new P2PNetwork(NetworkConfig.builder("refusal-test").listenAddress("127.0.0.1:0").gossipFanout(0).build(),
        P2PConfig.builder().privateKey(rawHigher ? low : high).build(), registry);
    node.start();
    raw = Host.builder().identity(rawHigher ? high : low).build().start();
    return raw.dial(Multiaddr.fromString(node.address().orElseThrow())).get(10, TimeUnit.SECONDS);
  }

  private double refused(String reason) {
    Counter c = registry.find("gossipnet.p2p.streams.refused").tag("reason", reason).counter();
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
  void aStreamOpenedByThePeerWhoseIdSortsHigherIsRefused() throws Exception {
    Connection c = connect(true);
    // The refusal may reset the stream before the opener has even seen it negotiated.
    Stream s = c.newStream(P2PTransport.GOSSIP_V22).handle((stream, err) -> stream).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> refused("wrong_opener") == 1);
    assertThat(s == null || ended(s.in())).isTrue();
    assertThat(node.connectedPeers()).isEmpty();
  }

  @Test
  void aMetadataFrameWhoseLengthDoesNotMatchItsContentIsRefused() throws Exception {
    Connection c = connect(false);
    Stream s = c.newStream(List.of(P2PTransport.GOSSIP_V22)).get(10, TimeUnit.SECONDS);
    // Length 9, then an empty msgpack map (0x80) and eight bytes that belong to no frame.
    s.out().write(new byte[] {0, 9, (byte) 0x80, 1, 2, 3, 4, 5, 6, 7, 8});
    await().atMost(WAIT).until(() -> refused("metadata_length_mismatch") + refused("metadata_malformed") == 1);
    assertThat(ended(s.in())).isTrue();
    assertThat(node.connectedPeers()).isEmpty();
  }

  @Test
  void aMetadataFrameWithNoVersionWeAcceptIsRefused() throws Exception {
    Connection c = connect(false);
    Stream s = c.newStream(List.of(P2PTransport.GOSSIP_V22)).get(10, TimeUnit.SECONDS);
    MetadataFrame.forNode("", "", "refusal-test", List.of(), "9.9", List.of("9.9")).write(s.out());
    s.out().flush();
    await().atMost(WAIT).until(() -> refused("metadata_no_common_version") == 1);
    assertThat(ended(s.in())).isTrue();
    assertThat(node.connectedPeers()).isEmpty();
  }

  @Test
  void aPeerThatStallsInTheExchangeIsRefusedAfterTheStreamTimeout() throws Exception {
    Connection c = connect(false);
    Stream s = c.newStream(List.of(P2PTransport.GOSSIP_V22)).get(10, TimeUnit.SECONDS);
    s.out().write(new byte[] {0, 40});
    s.out().flush();
    await().atMost(WAIT).until(() -> refused("exchange_timeout") == 1);
    assertThat(ended(s.in())).isTrue();
  }
}
