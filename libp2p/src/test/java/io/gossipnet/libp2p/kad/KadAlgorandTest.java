package io.gossipnet.libp2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.testing.CloseAfterEach;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The DHT as go-algorand's {@code MakeDHT} and {@code PeersForCapability} configure and use it. */
class KadAlgorandTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private JsInteropKadTest.KadNode node(KadConfig config) throws Exception {
    return closeables.add(new JsInteropKadTest.KadNode(config));
  }

  @Test
  void theProtocolIsGoAlgorandsPrefixFollowedByKad100() {
    assertThat(KadConfig.algorand("testnet-v1.0", true).protocolId()).isEqualTo("/algorand/kad/testnet-v1.0/kad/1.0.0");
    assertThat(KadConfig.defaults().withProtocolPrefix("/ipfs").protocolId()).isEqualTo(KadConfig.DEFAULT_PROTOCOL);
    assertThat(KadConfig.algorand("mainnet-v1.0", true).serverMode()).isTrue();
    assertThat(KadConfig.algorand("mainnet-v1.0", false).serverMode()).isFalse();
    assertThatThrownBy(() -> KadConfig.algorand("", true)).hasMessageContaining("network ID");
    assertThatThrownBy(() -> KadConfig.algorand("a/b", true)).hasMessageContaining("network ID");
    assertThatThrownBy(() -> KadConfig.algorand("a b", true)).hasMessageContaining("network ID");
    assertThatThrownBy(() -> KadConfig.defaults().withProtocolPrefix("algorand/")).hasMessageContaining("prefix");
  }

  @Test
  void nodesOfOneNetworkFindEachOthersCapabilitiesAndAClientOnlyAsks() throws Exception {
    JsInteropKadTest.KadNode relay = node(KadConfig.algorand("testnet-v1.0", true));
    JsInteropKadTest.KadNode archiver = node(KadConfig.algorand("testnet-v1.0", true)
        .withBootstrap(List.of(relay.address())));
    JsInteropKadTest.KadNode client = node(KadConfig.algorand("testnet-v1.0", false)
        .withBootstrap(List.of(relay.address())));
    JsInteropKadTest.KadNode otherNetwork = node(KadConfig.algorand("mainnet-v1.0", true)
        .withBootstrap(List.of(relay.address())));
    await().atMost(WAIT).until(() -> archiver.dht.inRoutingTable(relay.host.peerId())
        && relay.dht.inRoutingTable(archiver.host.peerId()) && client.dht.inRoutingTable(relay.host.peerId()));
    Capabilities archiverCaps = closeables.add(new Capabilities(archiver.dht, archiver.host.peerId()));
    archiverCaps.advertise("archival");
    await().atMost(WAIT).until(() -> archiverCaps.advertised().containsKey("archival"));

    Capabilities clientCaps = closeables.add(new Capabilities(client.dht, client.host.peerId()));
    assertThat(clientCaps.peersForCapability("archival", 4)).extracting(KadPeer::id)
        .containsExactly(archiver.host.peerId());
    assertThat(archiverCaps.peersForCapability("archival", 4)).as("never ourselves").isEmpty();
    assertThat(client.host.protocols()).doesNotContain("/algorand/kad/testnet-v1.0/kad/1.0.0");
    assertThat(relay.dht.inRoutingTable(client.host.peerId())).isFalse();
    assertThat(otherNetwork.dht.routingTableSize()).isZero();
  }

  @Test
  void peersForCapabilityReturnsWhatWasFoundWhenTheTimeoutCutsTheLookupShort() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    RawKadServer silent = closeables.add(new RawKadServer(PrivateKey.generate(), KadConfig.DEFAULT_PROTOCOL));
    silent.handle((s, m) -> {
      try {
        never.await(60, TimeUnit.SECONDS); // holds every request until the asker gives up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    closeables.add(never::countDown);
    JsInteropKadTest.KadNode provider = node(KadConfig.defaults());
    byte[] key = Capabilities.capabilityKey("gossip");
    provider.dht.provide(key); // kept in its own store: it answers GET_PROVIDERS with itself
    JsInteropKadTest.KadNode asker = node(KadConfig.defaults().withServerMode(false)
        .withTimeouts(Duration.ofSeconds(8), Duration.ofSeconds(30))
        .withBootstrap(List.of(silent.address(), provider.address())));
    await().atMost(WAIT).until(() -> asker.dht.routingTableSize() == 2);
    Capabilities caps = closeables.add(new Capabilities(asker.dht, asker.host.peerId(), Duration.ofHours(22),
        Duration.ofSeconds(1), Duration.ofSeconds(100), Duration.ofSeconds(1)));

    long t0 = System.nanoTime();
    List<KadPeer> found = caps.peersForCapability("gossip", 2); // wants 3, one exists: waits for `silent`
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(found).extracting(KadPeer::id).containsExactly(provider.host.peerId());
    assertThat(took).as("the 1 s find timeout, not the 8 s request timeout").isLessThan(Duration.ofSeconds(5));
    assertThat(asker.dht.metric("query.timeout")).isPositive();
    assertThatThrownBy(() -> asker.dht.findProviders(key, 1, Duration.ZERO)).hasMessageContaining("timeout");
  }
}
