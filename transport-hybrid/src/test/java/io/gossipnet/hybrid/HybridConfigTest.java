package io.gossipnet.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.NetworkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's ValidateP2PHybridConfig and the split of one phonebook list between the networks. */
class HybridConfigTest {
  private static NetworkConfig.Builder node() {
    return NetworkConfig.builder("hybrid-test-v1");
  }

  @Test
  void aNodeListensOnBothNetworksOrOnNeither() {
    assertThatThrownBy(() -> HybridConfig.builder(node().listenAddress("0.0.0.0:4160").publicAddress("http://a:4160").build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both listen addresses or neither");
    assertThatThrownBy(() -> HybridConfig.builder(node().build()).p2pListenAddress("0.0.0.0:4190").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both listen addresses or neither");
    HybridConfig client = HybridConfig.builder(node().build()).build();
    assertThat(client.isServer()).isFalse();
    assertThat(client.hybridRelayMesh()).as("a client runs both meshes").isFalse();
  }

  @Test
  void aListeningNodeNeedsAPublicAddress() {
    assertThatThrownBy(() -> HybridConfig.builder(node().listenAddress("0.0.0.0:4160").build()).p2pListenAddress("0.0.0.0:4190").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public address");
    HybridConfig server = HybridConfig.builder(node().listenAddress("0.0.0.0:4160").publicAddress("http://a:4160").build())
        .p2pListenAddress("0.0.0.0:4190").build();
    assertThat(server.isServer()).isTrue();
    assertThat(server.hybridRelayMesh()).isTrue();
    assertThat(new HybridConfig(server.network(), server.ws(), server.p2p(), server.p2pListenAddress(), 10,
        HybridConfig.MeshMode.PER_NETWORK).hybridRelayMesh()).isFalse();
  }

  @Test
  void theP2pIncomingLimitIsNotNegative() {
    assertThatThrownBy(() -> HybridConfig.builder(node().build()).p2pIncomingConnectionsLimit(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incoming connections limit");
  }

  @Test
  void onePhonebookListIsSplitHostPortsAndUrlsToWsAndP2pMultiaddrsToP2p() {
    String p2p = "/ip4/10.0.0.2/tcp/4190/p2p/12D3KooWEvQgyuutpGKWjCJEjL7fP7jWenkNAcTJkguGdYDDCxes";
    String dns = "/dns4/relay3.example/tcp/4190/p2p/12D3KooWEvQgyuutpGKWjCJEjL7fP7jWenkNAcTJkguGdYDDCxes";
    String noId = "/ip4/10.0.0.3/tcp/4190";
    HybridConfig c = HybridConfig.builder(node().listenAddress("0.0.0.0:4160").publicAddress("http://a:4160")
            .relayPeers(List.of("relay1.example:4160", p2p, "https://relay2.example", dns, noId)).build())
        .p2pListenAddress("0.0.0.0:4190").p2pIncomingConnectionsLimit(50).build();
    assertThat(c.wsPeers()).containsExactly("relay1.example:4160", "https://relay2.example");
    assertThat(c.p2pPeers()).containsExactly(p2p, dns);
    assertThat(c.ignoredPeers()).containsExactly(noId);
    assertThat(c.wsNetworkConfig().relayPeers()).isEqualTo(c.wsPeers());
    assertThat(c.wsNetworkConfig().listenAddress()).isEqualTo("0.0.0.0:4160");
    NetworkConfig p = c.p2pNetworkConfig();
    assertThat(p.relayPeers()).isEqualTo(c.p2pPeers());
    assertThat(p.listenAddress()).isEqualTo("0.0.0.0:4190");
    assertThat(p.incomingConnectionsLimit()).isEqualTo(50);
    assertThat(p.publicAddress()).isEqualTo("http://a:4160");
  }
}
