package io.gossipnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import io.gossipnet.testcontainers.GossipnetImage;
import io.gossipnet.testcontainers.RequiresDocker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The acceptance command, {@code gossipnet demo --transport ws --nodes 10 --fanout 3
 * --messages 1000 --json}, run in the scratch image: 10 WS nodes on the container's loopback ports
 * deliver every message to every node.
 */
@RequiresDocker
@Timeout(240)
class WsDemoIT {

  @Test
  void theWsDemoDeliversEveryMessageInTheScratchImage() throws Exception {
    try (GenericContainer<?> demo =
        new GenericContainer<>(DockerImageName.parse(GossipnetImage.node().name()))
            .withEnv("JDK_JAVA_OPTIONS", "-Xmx768m" + io.gossipnet.testcontainers.GossipnetContainer.quietUnsafe())
            .withCommand("demo", "--transport", "ws", "--nodes", "10", "--fanout", "3", "--messages", "1000", "--json")
            .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(180)))) {
      demo.start();
      String out = demo.getLogs(OutputType.STDOUT).strip();
      String last = out.substring(out.lastIndexOf('\n') + 1);
      JsonNode summary = io.gossipnet.testcontainers.NodeHttp.JSON.readTree(last);
      assertThat(summary.get("expected").asLong()).as("expected deliveries: 9 other nodes x 1000").isEqualTo(9000L);
      assertThat(summary.get("delivered").asLong()).as("delivered, in " + last).isEqualTo(9000L);
    }
  }
}
