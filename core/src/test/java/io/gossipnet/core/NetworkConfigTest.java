package io.gossipnet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {

  @Test
  void defaultsAreTheSeedNetworksValues() {
    NetworkConfig c = NetworkConfig.builder("net").build();
    assertThat(c.gossipFanout()).isEqualTo(4);
    assertThat(c.incomingConnectionsLimit()).isEqualTo(2400);
    assertThat(c.maxConnectionsPerIp()).isEqualTo(8);
    assertThat(c.broadcastQueueHighPrioritySize()).isEqualTo(11000);
    assertThat(c.broadcastQueueBulkSize()).isEqualTo(100);
    assertThat(c.peerSendQueueSize()).isEqualTo(11000);
    assertThat(c.maxMessageQueueDuration()).isEqualTo(Duration.ofSeconds(25));
    assertThat(c.handlerThreads()).isEqualTo(20);
    assertThat(c.messagesPerPeerInReadBuffer()).isEqualTo(10);
    assertThat(c.enableIncomingMessageFilter()).isFalse();
    assertThat(c.enableOutgoingMessageFiltering()).isTrue();
    assertThat(c.effectiveReadBufferSize()).isEqualTo(2404);
    assertThat(c.tags()).isSameAs(Tags.defaults());
  }

  @Test
  void theReadBufferFollowsTheSeedsFormula() {
    assertThat(NetworkConfig.builder("n").incomingConnectionsLimit(0).gossipFanout(4).build().effectiveReadBufferSize()).isEqualTo(100);
    assertThat(NetworkConfig.builder("n").incomingConnectionsLimit(50000).build().effectiveReadBufferSize()).isEqualTo(10000);
    assertThat(NetworkConfig.builder("n").readBufferSize(7).build().effectiveReadBufferSize()).isEqualTo(7);
  }

  @Test
  void aNodeRelaysWhenItListensOrIsForced() {
    assertThat(NetworkConfig.builder("n").listenAddress("0.0.0.0:4160").build().relays()).isTrue();
    assertThat(NetworkConfig.builder("n").build().relays()).isFalse();
    assertThat(NetworkConfig.builder("n").forceRelayMessages(true).build().relays()).isTrue();
    assertThat(NetworkConfig.builder("n").listenAddress("0.0.0.0:4160").incomingConnectionsLimit(0).build().relays()).isFalse();
  }

  @Test
  void validationNamesTheSetting() {
    assertThatThrownBy(() -> NetworkConfig.builder("n").gossipFanout(-1).build()).hasMessageContaining("gossipFanout");
    assertThatThrownBy(() -> NetworkConfig.builder("n").peerSendQueueSize(0).build()).hasMessageContaining("peerSendQueueSize");
    assertThatThrownBy(() -> NetworkConfig.builder("n").idleTimeout(Duration.ZERO).build()).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> NetworkConfig.builder("n").broadcastConnectionsLimit(-2).build()).hasMessageContaining("broadcastConnectionsLimit");
    assertThatThrownBy(() -> NetworkConfig.builder("").build()).hasMessageContaining("genesisId");
    assertThatThrownBy(() -> NetworkConfig.builder("a/b").build()).hasMessageContaining("genesisId");
    assertThatThrownBy(() -> NetworkConfig.builder("n").relayPeers(List.of(" ")).build()).hasMessageContaining("relayPeers");
    assertThatThrownBy(() -> NetworkConfig.builder("n").tags(Tags.of(List.of(Tags.TX))).build()).hasMessageContaining("control tag");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    NetworkConfig c = NetworkConfig.builder("n").gossipFanout(9).idleTimeout(Duration.ofSeconds(3)).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
