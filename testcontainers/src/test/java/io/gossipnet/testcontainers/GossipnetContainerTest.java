package io.gossipnet.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a node container passes to the image (no Docker needed: nothing here starts a container):
 * {@code run}'s options for each transport, the key and the data directory, and the cluster
 * builder's checks.
 */
class GossipnetContainerTest {
  private static final GossipnetImage IMAGE = GossipnetImage.of("example.org/my-node:1.0");

  @Test
  void aWsNodeListensOnItsPortAndNamesItselfByItsAliasWithTheDemoApiOnByDefault() {
    GossipnetContainer node = new GossipnetContainer(IMAGE, NodeTransport.WS, "net-1").withAlias("alpha")
        .withPeers(List.of("beta:8080")).withFanout(2).withMeshInterval(Duration.ofMillis(500));
    assertThat(node.runCommand()).containsExactly(
        "run", "--transport", "ws", "--listen", "0.0.0.0:8080", "--genesis", "net-1", "--peer", "beta:8080",
        "--public-address", "http://alpha:8080", "--fanout", "2", "--mesh-interval-ms", "500", "--demo-api");
    assertThat(node.getExposedPorts()).containsExactly(GossipnetContainer.PORT);
  }

  @Test
  void aP2pNodeGetsAKeyFileWhosePeerIdIsKnownBeforeItStartsUnlessItKeepsItsKeyInItsDataDirectory() {
    PrivateKey key = PrivateKey.generate();
    GossipnetContainer node = new GossipnetContainer(IMAGE, NodeTransport.P2P, "net-1").withKey(key);
    assertThat(node.runCommand()).containsSequence("--key", GossipnetContainer.KEY_PATH).doesNotContain("--public-address");
    assertThat(node.peerId()).isEqualTo(key.peerId().toBase58());
    assertThat(node.p2pPeerAddress("10.1.2.3")).isEqualTo("/ip4/10.1.2.3/tcp/8080/p2p/" + key.peerId().toBase58());
    assertThat(node.p2pPeerAddress("node1")).isEqualTo("/dns4/node1/tcp/8080/p2p/" + key.peerId().toBase58());

    GossipnetContainer keeper = new GossipnetContainer(IMAGE, NodeTransport.P2P, "net-1").withKeyInDataDir();
    assertThat(keeper.runCommand()).containsSequence("--data-dir", GossipnetContainer.DATA_DIR).doesNotContain("--key");
    assertThatThrownBy(keeper::peerId).isInstanceOf(IllegalStateException.class).hasMessageContaining("has not printed its peer ID");
  }

  @Test
  void aHybridNodeListensOnBothPortsAndIsDialedByEachTransportAtItsOwnAddress() {
    GossipnetContainer node = new GossipnetContainer(IMAGE, NodeTransport.HYBRID, "net-1").withAlias("h")
        .withDemoApi(false).withRunOptions("--module", "com.example.AppModule");
    assertThat(node.runCommand())
        .containsSequence("--p2p-listen", "0.0.0.0:8081")
        .containsSequence("--public-address", "http://h:8080")
        .containsSequence("--module", "com.example.AppModule")
        .doesNotContain("--demo-api");
    assertThat(node.getExposedPorts()).containsExactly(GossipnetContainer.PORT, GossipnetContainer.HYBRID_P2P_PORT);
    assertThat(node.dialAddresses(NodeTransport.WS, "10.0.0.2")).containsExactly("h:8080");
    assertThat(node.dialAddresses(NodeTransport.P2P, "10.0.0.2")).containsExactly("/ip4/10.0.0.2/tcp/8081/p2p/" + node.peerId());
    assertThat(node.dialAddresses(NodeTransport.HYBRID, "10.0.0.2")).hasSize(2);
  }

  @Test
  void aWsNodeCannotDialAP2pNodeNorHaveAKey() {
    GossipnetContainer p2p = new GossipnetContainer(IMAGE, NodeTransport.P2P, "net-1");
    assertThatThrownBy(() -> p2p.dialAddresses(NodeTransport.WS, "10.0.0.2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot dial");
    GossipnetContainer ws = new GossipnetContainer(IMAGE, NodeTransport.WS, "net-1");
    assertThatThrownBy(ws::withKeyInDataDir).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ws::peerId).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theClusterBuilderRefusesNodesThatDoNotExist() {
    assertThatThrownBy(() -> GossipnetCluster.builder(NodeTransport.P2P, "g").nodes(3).keyInDataDir(3).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no node3");
    assertThatThrownBy(() -> GossipnetCluster.builder(NodeTransport.WS, "g").nodes(2).transport(5, NodeTransport.P2P).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no node5");
    assertThatThrownBy(() -> GossipnetCluster.builder(NodeTransport.WS, "g").nodes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutADockerDaemonTheAdviceSaysHowToStartOneAndHowToSkip() {
    String advice = DockerCheck.advice("no socket at /var/run/docker.sock");
    assertThat(advice)
        .contains("no socket at /var/run/docker.sock")
        .contains("dockerd")
        .contains("DOCKER_HOST")
        .contains("@RequiresDocker");
  }

  @Test
  void theStockNodeImageNeedsItsJarNamed() {
    String before = System.getProperty(GossipnetImage.NODE_JAR_PROPERTY);
    try {
      System.setProperty(GossipnetImage.NODE_JAR_PROPERTY, "/no/such/gossipnet-node.jar");
      assertThatThrownBy(GossipnetImage::node).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("/no/such/gossipnet-node.jar").hasMessageContaining("does not exist");
    } finally {
      if (before == null) {
        System.clearProperty(GossipnetImage.NODE_JAR_PROPERTY);
      } else {
        System.setProperty(GossipnetImage.NODE_JAR_PROPERTY, before);
      }
    }
  }
}
