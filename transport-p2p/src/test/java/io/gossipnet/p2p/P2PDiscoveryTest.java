package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.phonebook.Role;
import io.gossipnet.libp2p.kad.KadConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DHT providers on (inventory 7.6, 7.7): nodes that know only one relay find each other through
 * the capabilities advertised in the Kademlia DHT, and each mesh pass dials what it found.
 */
class P2PDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String GENESIS = "discovery-test-v1";
  private final List<P2PNetwork> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(P2PNetwork::stop);
  }

  private P2PNetwork start(NetworkConfig.Builder config, P2PConfig.Builder p2p) {
    P2PNetwork n = new P2PNetwork(config.meshInterval(Duration.ofMillis(300)).build(), p2p.dhtProviders(true).build(), new SimpleMeterRegistry());
    nodes.add(n);
    n.start();
    return n;
  }

  private static Set<String> peerIds(P2PNetwork n) {
    return n.connectedPeers().stream().map(p -> p.stableId()).collect(Collectors.toSet());
  }

  @Test
  void nodesThatKnowOnlyTheBootstrapRelayMeshWithEachOtherThroughTheDht() {
    P2PNetwork bootstrap = start(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(3), P2PConfig.builder());
    List<String> relay = List.of(bootstrap.address().orElseThrow());
    List<P2PNetwork> others = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      others.add(start(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").relayPeers(relay).gossipFanout(3), P2PConfig.builder()));
    }

    for (P2PNetwork n : others) {
      Set<String> want = nodes.stream().filter(m -> m != n).map(m -> m.peerId().toBase58()).collect(Collectors.toSet());
      await().atMost(WAIT).untilAsserted(() -> assertThat(peerIds(n)).as("gossip peers of %s", n.peerId()).isEqualTo(want));
    }
    P2PDiscovery d = others.get(0).discovery().orElseThrow();
    assertThat(d.advertising()).containsExactly(P2PDiscovery.GOSSIP);
    assertThat(d.dht().config().protocolId()).isEqualTo("/algorand/kad/" + GENESIS + KadConfig.PROTOCOL_SUFFIX);
    assertThat(d.dht().config().serverMode()).as("a listening node serves the DHT").isTrue();
  }

  @Test
  void archivalPeersFoundInTheDhtFillTheArchivalRoleAndANodeThatDoesNotListenAdvertisesNothing() {
    P2PNetwork archive = start(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(2),
        P2PConfig.builder().archival(true).networkId("testnet"));
    List<String> relay = List.of(archive.address().orElseThrow());
    P2PNetwork relayNode = start(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").relayPeers(relay).gossipFanout(2),
        P2PConfig.builder().networkId("testnet"));
    P2PNetwork client = start(NetworkConfig.builder(GENESIS).relayPeers(List.of(relayNode.address().orElseThrow())).gossipFanout(2),
        P2PConfig.builder().networkId("testnet"));

    assertThat(archive.discovery().orElseThrow().advertising()).containsExactlyInAnyOrder(P2PDiscovery.ARCHIVAL, P2PDiscovery.GOSSIP);
    assertThat(client.discovery().orElseThrow().advertising()).isEmpty();
    assertThat(client.discovery().orElseThrow().dht().config().serverMode()).as("a node that does not listen is a DHT client").isFalse();
    String archiveId = archive.peerId().toBase58();
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.phonebook().getAddresses(10, Role.ARCHIVAL))
        .anySatisfy(a -> assertThat(a).endsWith("/p2p/" + archiveId)));
    // the client knew only relayNode; the archive also advertises gossip, so it is dialed as a relay
    await().atMost(WAIT).untilAsserted(() -> assertThat(peerIds(client)).contains(archiveId, relayNode.peerId().toBase58()));
  }
}
