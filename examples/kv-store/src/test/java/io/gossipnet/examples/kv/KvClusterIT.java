package io.gossipnet.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.GossipnetImage;
import io.gossipnet.testcontainers.NodeHttp;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.RequiresDocker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The example's jar ({@code target/gossipnet-example-kv.jar}, system property {@code kv.jar}) as
 * three hybrid nodes in Docker containers, each on its own image built from scratch by {@code
 * gossipnet-testcontainers}: writes cross the cluster, a partition keeps them apart, and once it
 * heals every node holds every write, with the same winner for a key written on both sides.
 */
@RequiresDocker
class KvClusterIT {
  private static final String GENESIS = "kv-it";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static GossipnetCluster cluster;

  @BeforeAll
  static void startCluster() {
    Path jar = Path.of(System.getProperty("kv.jar", "target/gossipnet-example-kv.jar"));
    assertThat(Files.isRegularFile(jar)).as("the example's jar %s (mvn package makes it)", jar).isTrue();
    cluster = GossipnetCluster.builder(NodeTransport.HYBRID, GENESIS)
        .image(GossipnetImage.fromJar(jar))
        .nodes(3)
        .demoApi(false)
        .meshInterval(Duration.ofMillis(500))
        .build();
    cluster.start();
    cluster.awaitMesh(WAIT);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String path(String key) {
    return "/v1/" + GENESIS + "/kv/" + key;
  }

  /** Writes on node {@code i}; returns the write's version. */
  private static Version put(int i, String key, String value) {
    NodeHttp http = cluster.node(i).http();
    String body = http.exchange("PUT", path(key), value.getBytes(StandardCharsets.UTF_8));
    JsonNode version = NodeHttp.JSON.readTree(body).get("version");
    return new Version(version.get("ts").asLong(), version.get("node").asString());
  }

  /** The value node {@code node} holds at {@code key}, or null if none. */
  private static String value(GossipnetContainer node, String key) {
    NodeHttp.Answer answer = node.http().get(path(key));
    if (answer.status() == 404) {
      return null;
    }
    assertThat(answer.status()).as("%s: GET %s", node.alias(), key).isEqualTo(200);
    return answer.body();
  }

  private static String value(int i, String key) {
    return value(cluster.node(i), key);
  }

  @Test
  void writesOnBothSidesOfAPartitionReachEveryNodeOnceItHealsAndAConcurrentWriteHasOneWinnerEverywhere() {
    put(0, "greeting", "hello");
    cluster.awaitEvery("every node reads node0's greeting", WAIT, n -> "hello".equals(value(n, "greeting")));

    cluster.partition(List.of(0, 1), List.of(2));
    put(0, "a", "a from node0");
    put(2, "b", "b from node2");
    Version c0 = put(0, "c", "c from node0");
    Version c2 = put(2, "c", "c from node2");

    // Within each side the writes spread; across the cut, nothing, for as long as it lasts.
    await("node1 reads node0's writes").atMost(WAIT).until(() -> "a from node0".equals(value(1, "a")) && "c from node0".equals(value(1, "c")));
    await("nothing crosses the partition")
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(30))
        .until(() -> value(2, "a") == null && "c from node2".equals(value(2, "c"))
            && value(0, "b") == null && value(1, "b") == null && "c from node0".equals(value(0, "c")));

    cluster.heal();
    String winner = c0.newerThan(c2) ? "c from node0" : "c from node2";
    cluster.awaitEvery("every node holds every write, and the same winner for c", WAIT, n ->
        "a from node0".equals(value(n, "a")) && "b from node2".equals(value(n, "b")) && winner.equals(value(n, "c")));
    List<String> digests = IntStream.range(0, 3)
        .mapToObj(i -> NodeHttp.JSON.readTree(cluster.node(i).http().exchange("GET", "/v1/" + GENESIS + "/kv?limit=0", new byte[0]))
            .get("digest").asString())
        .toList();
    assertThat(digests).as("the stores' digests").containsOnly(digests.get(0));
  }
}
