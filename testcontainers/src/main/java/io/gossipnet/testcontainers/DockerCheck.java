package io.gossipnet.testcontainers;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker daemon answers, asked once per JVM, and what to tell the user when none does.
 */
final class DockerCheck {
  private static String unavailableReason;
  private static boolean checked;

  private DockerCheck() {}

  /**
   * Why no Docker daemon can be had, or empty if one answers.
   *
   * @return Testcontainers' account of what it tried, with its causes
   */
  static synchronized Optional<String> unavailableReason() {
    if (!checked) {
      checked = true;
      try {
        // client() throws with Testcontainers' account of what it tried; isDockerAvailable() would
        // swallow it, and a second attempt only says that the first one failed.
        DockerClientFactory.instance().client();
      } catch (RuntimeException e) {
        StringBuilder reason = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
          reason.append("; caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        unavailableReason = reason.toString();
      }
    }
    return Optional.ofNullable(unavailableReason);
  }

  /**
   * Throws with what to do if no Docker daemon answers.
   *
   * @throws IllegalStateException if none does
   */
  static void require() {
    unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException(advice(reason));
    });
  }

  /** The message for a user without a Docker daemon. */
  static String advice(String reason) {
    return "gossipnet-testcontainers runs nodes in Docker containers, but no Docker daemon answers (" + reason + ")."
        + " Start one (Linux: `sudo systemctl start docker`, or `sudo dockerd &`; macOS and Windows: Docker Desktop),"
        + " or point DOCKER_HOST at one (see Testcontainers' \"supported Docker environments\")."
        + " To skip container tests where there is no Docker, annotate the test class with @RequiresDocker"
        + " (or Testcontainers' @Testcontainers(disabledWithoutDocker = true)).";
  }
}
