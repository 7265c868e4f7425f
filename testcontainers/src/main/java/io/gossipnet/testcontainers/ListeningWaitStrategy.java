package io.gossipnet.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.util.regex.Pattern;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until the node has printed its {@code {"event":"listening",...}} line, and fails at once,
 * with the end of the node's output, if the container stops first (a node that exits, for example
 * on an unknown option, should not cost the whole startup timeout).
 */
public final class ListeningWaitStrategy extends AbstractWaitStrategy {
  /** The node's listening line on stdout. */
  public static final Pattern LISTENING = Pattern.compile("\\{\"event\"\\s*:\\s*\"listening\"[^\\n]*");

  private final int count;

  /**
   * Waits for the {@code count}-th listening line (one per start of the container).
   *
   * @param count how many listening lines the container's output must hold
   */
  public ListeningWaitStrategy(int count) {
    this.count = count;
  }

  /**
   * The number of listening lines in a container's output.
   *
   * @param stdout the container's stdout
   * @return how many listening lines it holds
   */
  public static int count(String stdout) {
    return (int) LISTENING.matcher(stdout).results().count();
  }

  @Override
  protected void waitUntilReady() {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      if (count(waitStrategyTarget.getLogs(OutputFrame.OutputType.STDOUT)) >= count) {
        return;
      }
      InspectContainerResponse info =
          waitStrategyTarget.getDockerClient().inspectContainerCmd(waitStrategyTarget.getContainerId()).exec();
      if (!Boolean.TRUE.equals(info.getState().getRunning())) {
        // It may have printed the line just before it stopped.
        if (count(waitStrategyTarget.getLogs(OutputFrame.OutputType.STDOUT)) >= count) {
          return;
        }
        throw new ContainerLaunchException(
            "the node stopped (exit code " + info.getState().getExitCodeLong() + ") before it printed a listening line;"
                + " its output ends with:\n" + tail(waitStrategyTarget.getLogs(), 40));
      }
      if (System.nanoTime() > deadline) {
        throw new ContainerLaunchException(
            "the node printed no listening line within " + startupTimeout + "; its output ends with:\n"
                + tail(waitStrategyTarget.getLogs(), 40));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerLaunchException("interrupted while waiting for the node", e);
      }
    }
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
  }
}
