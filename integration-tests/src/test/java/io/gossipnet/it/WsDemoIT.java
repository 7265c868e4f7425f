package io.gossipnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gossipnet.it.harness.NodeImage;
import io.gossipnet.it.harness.RequiresDocker;
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
        new GenericContainer<>(DockerImageName.parse(NodeImage.name()))
            .withEnv("JDK_JAVA_OPTIONS", "-Xmx768m" + io.gossipnet.it.harness.NodeContainer.quietUnsafe())
            .withCommand("demo", "--transport", "ws", "--nodes", "10", "--fanout", "3", "--messages", "1000", "--json")
            .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(180)))) {
      demo.start();
      String out = demo.getLogs(OutputType.STDOUT).strip();
      String last = out.substring(out.lastIndexOf('\n') + 1);
      JsonNode summary = new ObjectMapper().readTree(last);
      assertThat(summary.get("expected").asLong()).as("expected deliveries: 9 other nodes x 1000").isEqualTo(9000L);
      assertThat(summary.get("delivered").asLong()).as("delivered, in " + last).isEqualTo(9000L);
    }
  }
}
