package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitExactPeers;
import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.RequiresDocker;
import io.gossipnet.p2p.PeerKeyFile;
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
 * A P2P node that made its own key in its {@code --data-dir} is killed with SIGKILL and started
 * again (the same container, file system, alias and address): it reads its persisted key back and
 * comes back with the same peer ID, so the others, which dial it by that peer ID, connect to it
 * again; later broadcasts reach it and its own reach the others.
 *
 * <p>The restarted node dials nobody: every connection it gets back is one the others made to the
 * peer ID they were configured with, which the Noise handshake checks. {@code node0..2} dial each
 * other in a triangle and each dials {@code node3}, so while {@code node3} is down each of them still
 * has a peer it dialed and its mesh keeps its interval (1 s here) instead of backing off.
 */
@RequiresDocker
@Timeout(300)
class P2pRestartIT {
  private static final Logger LOG = LoggerFactory.getLogger(P2pRestartIT.class);
  private static final String GENESIS = "gossipnet-it-p2p-restart-v1";
  private static final int VICTIM = 3;

  @Test
  void aKilledNodeRestartsWithThePeerIdOfItsPersistedKeyAndTheOthersReconnectToIt() {
    try (GossipnetCluster cluster =
        GossipnetCluster.builder(NodeTransport.P2P, GENESIS)
            .nodes(4)
            .peers((i, n) -> i == VICTIM ? List.of() : List.of((i + 1) % VICTIM, VICTIM))
            .keyInDataDir(VICTIM)
            .meshInterval(Duration.ofSeconds(1))
            .start()) {
      GossipnetContainer origin = cluster.node(0);
      GossipnetContainer victim = cluster.node(VICTIM);
      List<GossipnetContainer> rest = cluster.except(victim);
      for (GossipnetContainer node : rest) {
        awaitExactPeers(node, 3, 1, Duration.ofSeconds(60));
      }
      awaitExactPeers(victim, 3, 3, Duration.ofSeconds(60));

      String peerId = victim.peerId();
      GossipnetContainer.ContainerFile keyFile = victim.file(GossipnetContainer.DATA_DIR + "/" + PeerKeyFile.DEFAULT_FILE_NAME);
      assertThat(keyFile.mode()).as("the key file's mode").isEqualTo(0600);
      assertThat(PeerKeyFile.decodePem(new String(keyFile.content(), StandardCharsets.US_ASCII)).peerId().toBase58())
          .as("the key persisted in the data directory is the one behind the printed peer ID")
          .isEqualTo(peerId);

      LOG.info("step: SIGKILL {} ({})", victim.alias(), peerId);
      victim.kill();
      for (GossipnetContainer node : rest) {
        awaitExactPeers(node, 2, 1, Duration.ofSeconds(60));
      }
      String whileDown = origin.http().broadcast(message("while node3 is down"), "TX");
      awaitReceived(Set.of(whileDown), Duration.ofSeconds(60), cluster.except(origin, victim));

      LOG.info("step: starting {} again", victim.alias());
      long restart = System.nanoTime();
      victim.restart();
      long listening = System.nanoTime();
      assertThat(victim.listeningPeerIds()).as("the peer ID printed on each start").containsExactly(peerId, peerId);
      awaitExactPeers(victim, 3, 3, Duration.ofSeconds(90));
      long rejoined = System.nanoTime();
      for (GossipnetContainer node : rest) {
        awaitExactPeers(node, 3, 1, Duration.ofSeconds(30));
      }
      LOG.info(
          "measured: {} restarted; listening after {} ms, its 3 peers back {} ms later ({} ms from the start of the container)",
          victim.alias(), millis(listening - restart), millis(rejoined - listening), millis(rejoined - restart));

      long sent = System.nanoTime();
      String txAfter = origin.http().broadcast(message("TX after node3 restarted"), "TX");
      String avAfter = origin.http().broadcast(message("AV after node3 restarted"), "AV");
      awaitReceived(Set.of(txAfter, avAfter), Duration.ofSeconds(60), List.of(victim));
      LOG.info("measured: a TX and an AV from {} reached the restarted node within {} ms", origin.alias(), millis(System.nanoTime() - sent));
      LOG.info("{} {} the TX broadcast while it was down (gossip is not stored for absent peers)",
          victim.alias(), victim.http().received().contains(whileDown) ? "has since received" : "never received");

      LOG.info("step: {} received the later broadcasts; now it broadcasts", victim.alias());
      String txFrom = victim.http().broadcast(message("TX from the restarted node"), "TX");
      String avFrom = victim.http().broadcast(message("AV from the restarted node"), "AV");
      awaitReceived(Set.of(txFrom, avFrom), Duration.ofSeconds(60), rest);
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
