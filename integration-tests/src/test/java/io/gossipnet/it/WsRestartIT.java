package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitPeers;
import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.RequiresDocker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node killed with SIGKILL does not stop the others; started again (the same container, alias and
 * address), it rejoins the mesh, receives later broadcasts and reaches the others with its own.
 */
@RequiresDocker
@Timeout(300)
class WsRestartIT {
  private static final Logger LOG = LoggerFactory.getLogger(WsRestartIT.class);
  private static final String GENESIS = "gossipnet-it-restart-v1";

  @Test
  void aKilledNodeRestartsAndRejoins() {
    try (GossipnetCluster cluster = GossipnetCluster.builder(NodeTransport.WS, GENESIS).nodes(4).start()) {
      cluster.awaitPeers(3, Duration.ofSeconds(60));
      GossipnetContainer origin = cluster.node(0);
      GossipnetContainer victim = cluster.node(3);
      List<GossipnetContainer> rest = cluster.except(victim);

      LOG.info("step: SIGKILL {}", victim.alias());
      victim.kill();
      String whileDown = origin.http().broadcast(message("while node3 is down"));
      awaitReceived(Set.of(whileDown), Duration.ofSeconds(60), cluster.except(origin, victim));

      LOG.info("step: starting {} again", victim.alias());
      victim.restart();
      awaitPeers(victim, 1, Duration.ofSeconds(90));
      cluster.awaitPeers(3, Duration.ofSeconds(90));
      LOG.info("step: the mesh is whole again; broadcasting");
      String after = origin.http().broadcast(message("after node3 restarted"));
      awaitReceived(Set.of(after), Duration.ofSeconds(90), List.of(victim));

      LOG.info("step: {} received the later broadcast; now it broadcasts", victim.alias());
      String fromVictim = victim.http().broadcast(message("from the restarted node"));
      awaitReceived(Set.of(fromVictim), Duration.ofSeconds(90), rest);
    }
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
