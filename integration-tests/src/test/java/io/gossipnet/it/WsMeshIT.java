package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.RequiresDocker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** Four WS nodes in containers on a private network form a mesh; every broadcast reaches every node. */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class WsMeshIT {
  private static final int NODES = 4;
  private static final String GENESIS = "gossipnet-it-mesh-v1";

  private GossipnetCluster cluster;

  @BeforeAll
  void startCluster() {
    cluster = GossipnetCluster.builder(NodeTransport.WS, GENESIS).nodes(NODES).start();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void everyNodeAnswersStatusAndConnectsToTheOthers() {
    cluster.awaitPeers(NODES - 1, Duration.ofSeconds(60));
    for (GossipnetContainer node : cluster.nodes()) {
      JsonNode status = node.http().status();
      assertThat(status.get("genesis").asString()).as(node.alias() + " genesis").isEqualTo(GENESIS);
      assertThat(status.get("address").asString()).as(node.alias() + " address").contains(node.alias());
      assertThat(status.get("peers").asInt()).as(node.alias() + " peers").isGreaterThanOrEqualTo(NODES - 1);
      assertThat(status.has("peersIn")).as(node.alias() + " peersIn").isTrue();
      assertThat(status.has("peersOut")).as(node.alias() + " peersOut").isTrue();
      assertThat(node.listeningAddress()).as(node.alias() + " listening line").isEqualTo("http://" + node.alias() + ":" + GossipnetContainer.PORT);
    }
  }

  @Test
  @Order(2)
  void everyNodeReceivesEveryBroadcast() throws Exception {
    cluster.awaitPeers(NODES - 1, Duration.ofSeconds(60));
    Map<GossipnetContainer, String> sent = new LinkedHashMap<>();
    for (GossipnetContainer origin : cluster.nodes()) {
      byte[] message = ("mesh from " + origin.alias() + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
      String id = origin.http().broadcast(message);
      assertThat(id).as("the id is the SHA-256 of the message").isEqualTo(sha256Hex(message));
      sent.put(origin, id);
    }
    for (Map.Entry<GossipnetContainer, String> e : sent.entrySet()) {
      awaitReceived(Set.of(e.getValue()), Duration.ofSeconds(60), cluster.except(e.getKey()));
    }
  }

  @Test
  @Order(3)
  void sigtermStopsANodeInOrderWithExitCodeZero() {
    GossipnetContainer last = cluster.node(NODES - 1);
    last.getDockerClient().stopContainerCmd(last.getContainerId()).withTimeout(30).exec();
    await(last.alias() + " exits")
        .atMost(Duration.ofSeconds(40))
        .until(() -> !Boolean.TRUE.equals(inspectRunning(last)));
    Long exitCode = last.getDockerClient().inspectContainerCmd(last.getContainerId()).exec().getState().getExitCodeLong();
    assertThat(exitCode).as(last.alias() + " exit code after SIGTERM").isZero();

    // The others keep gossiping without it.
    byte[] message = ("after stop " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    String id = cluster.node(0).http().broadcast(message);
    awaitReceived(Set.of(id), Duration.ofSeconds(60), cluster.except(cluster.node(0), last));
  }

  private static Boolean inspectRunning(GossipnetContainer node) {
    return node.getDockerClient().inspectContainerCmd(node.getContainerId()).exec().getState().getRunning();
  }

  static String sha256Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
