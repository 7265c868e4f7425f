package io.gossipnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.testcontainers.GossipnetImage;
import io.gossipnet.testcontainers.RequiresDocker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/** The scratch image runs the node jar on its jlinked runtime (the WS tests run the node itself). */
@RequiresDocker
@Timeout(180)
class NodeImageIT {

  private static GenericContainer<?> oneShot(String... command) {
    return new GenericContainer<>(DockerImageName.parse(GossipnetImage.node().name()))
        .withCommand(command)
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(90)));
  }

  @Test
  void helpRunsInTheScratchImage() {
    try (GenericContainer<?> node = oneShot("--help")) {
      node.start();
      String out = node.getLogs(OutputType.STDOUT);
      assertThat(out).contains("Usage: gossipnet").contains("run").contains("demo");
    }
  }

  @Test
  void versionRunsInTheScratchImage() {
    try (GenericContainer<?> node = oneShot("--version")) {
      node.start();
      assertThat(node.getLogs(OutputType.STDOUT)).startsWith("gossipnet ");
    }
  }
}
