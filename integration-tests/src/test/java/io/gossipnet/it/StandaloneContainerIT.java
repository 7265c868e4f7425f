package io.gossipnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.GossipnetImage;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.RequiresDocker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * One node container on its own, as a {@code @Container} field without a cluster: it starts,
 * prints the peer ID of the key it was given, and answers its HTTP API over libp2p.
 */
@RequiresDocker
@Testcontainers
@Timeout(180)
class StandaloneContainerIT {
  @Container
  static final GossipnetContainer NODE =
      new GossipnetContainer(GossipnetImage.node(), NodeTransport.P2P, "gossipnet-it-solo-v1").withAlias("solo");

  @Test
  void aLoneP2pNodeListensWithItsGivenKeyAndServesStatusOverLibp2p() {
    assertThat(NODE.listeningLine().path("peerId").asString()).isEqualTo(NODE.peerId());
    assertThat(NODE.http().status().path("network").asString()).isEqualTo("p2p");
    assertThat(NODE.http().peers()).isZero();
    assertThat(NODE.http().get("/no/such/path").status()).isEqualTo(404);
  }
}
