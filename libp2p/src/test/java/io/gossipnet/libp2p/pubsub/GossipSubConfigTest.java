package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GossipSubConfigTest {
  @Test
  void defaultsFollowJs() {
    GossipSubConfig c = GossipSubConfig.defaults();
    assertThat(new int[] {c.d(), c.dlo(), c.dhi(), c.dscore(), c.dout(), c.dlazy()}).containsExactly(6, 4, 12, 4, 2, 6);
    assertThat(c.floodPublish()).isTrue();
    assertThat(c.messageIdFunction()).isSameAs(MessageIdFunction.FROM_SEQNO);
    assertThat(GossipSubConfig.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build().messageIdFunction())
        .isSameAs(MessageIdFunction.SHA256_DATA);
  }

  @Test
  void algorandDegreesFollowTheOutgoingPeerCount() {
    assertThat(degrees(GossipSubConfig.builder().algorandDegree(12).build())).containsExactly(8, 6, 12, 6, 3, 12);
    assertThat(degrees(GossipSubConfig.builder().algorandDegree(4).build())).containsExactly(4, 2, 4, 1, 1, 4);
    assertThat(degrees(GossipSubConfig.builder().algorandDegree(0).build())).containsExactly(0, 0, 0, 0, 0, 0);
    // n = 9: D = 9 - 3 = 6, Dlo = Dscore = 4, Dout = 2, Dhi = Dlazy = 9
    GossipSubConfig c = GossipSubConfig.builder().algorandDegree(9).build();
    assertThat(degrees(c)).containsExactly(6, 4, 9, 4, 2, 9);
    assertThat(c.mcacheLength()).isEqualTo(10);
    assertThat(c.gossipFactor()).isEqualTo(0.1);
  }

  @Test
  void inconsistentDegreesAreRefused() {
    assertThatThrownBy(() -> GossipSubConfig.builder().degree(6, 7, 12, 4, 2, 6).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GossipSubConfig.builder().messageCache(2, 3).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int[] degrees(GossipSubConfig c) {
    return new int[] {c.d(), c.dlo(), c.dhi(), c.dscore(), c.dout(), c.dlazy()};
  }
}
