package io.gossipnet.it.harness;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Enables container tests only when a Docker daemon answers. When none does: with {@code
 * REQUIRE_DOCKER=1} in the environment the tests fail with the reason (CI, {@code bin/test}); without
 * it (a developer's plain {@code mvn verify}) they are skipped with the reason.
 */
public final class DockerAvailableCondition implements ExecutionCondition {
  /** The environment variable that turns "skip without Docker" into "fail without Docker". */
  public static final String REQUIRE_DOCKER = "REQUIRE_DOCKER";

  private static volatile String unavailableReason;
  private static volatile boolean checked;

  /** Creates the condition; JUnit does this through {@link RequiresDocker}. */
  public DockerAvailableCondition() {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = unavailableReason();
    if (reason == null) {
      return ConditionEvaluationResult.enabled("a Docker daemon answers");
    }
    if (dockerRequired()) {
      throw new IllegalStateException(
          "REQUIRE_DOCKER=1 but no Docker daemon can be had: " + reason
              + " (bin/test starts one through bin/setup.d/10-docker.sh; see its output and target/dockerd.log)");
    }
    return ConditionEvaluationResult.disabled(
        "container test skipped: no Docker daemon answers (" + reason
            + "). Run bin/test, which starts one, or start dockerd yourself; set REQUIRE_DOCKER=1 to make this a failure.");
  }

  /** Whether {@code REQUIRE_DOCKER=1} is set. */
  static boolean dockerRequired() {
    String value = System.getenv(REQUIRE_DOCKER);
    return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
  }

  private static synchronized String unavailableReason() {
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
        System.err.println("[container tests] no Docker daemon: " + unavailableReason
            + (dockerRequired() ? " -- REQUIRE_DOCKER=1: the container tests fail." : " -- the container tests are skipped."));
      }
    }
    return unavailableReason;
  }
}
