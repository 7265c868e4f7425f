package io.gossipnet.testcontainers;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables container tests only when a Docker daemon answers ({@link RequiresDocker}). When none
 * does, the tests are skipped with the reason and what to do; with {@value #REQUIRE_DOCKER}{@code
 * =1} in the environment (a CI that must not pass by skipping) they fail instead.
 */
public final class DockerAvailableCondition implements ExecutionCondition {
  /** The environment variable that turns "skip without Docker" into "fail without Docker". */
  public static final String REQUIRE_DOCKER = "REQUIRE_DOCKER";

  private static volatile boolean reported;

  /** Creates the condition; JUnit does this through {@link RequiresDocker}. */
  public DockerAvailableCondition() {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> reason = DockerCheck.unavailableReason();
    if (reason.isEmpty()) {
      return ConditionEvaluationResult.enabled("a Docker daemon answers");
    }
    if (!reported) {
      reported = true;
      System.err.println("[gossipnet-testcontainers] " + DockerCheck.advice(reason.get())
          + (dockerRequired() ? " REQUIRE_DOCKER=1: the container tests fail." : " The container tests are skipped."));
    }
    if (dockerRequired()) {
      throw new IllegalStateException("REQUIRE_DOCKER=1 but " + DockerCheck.advice(reason.get()));
    }
    return ConditionEvaluationResult.disabled(
        "container test skipped: " + DockerCheck.advice(reason.get()) + " Set REQUIRE_DOCKER=1 to make this a failure.");
  }

  /**
   * Whether {@value #REQUIRE_DOCKER}{@code =1} is set.
   *
   * @return true if a missing daemon fails the tests
   */
  public static boolean dockerRequired() {
    String value = System.getenv(REQUIRE_DOCKER);
    return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
  }
}
