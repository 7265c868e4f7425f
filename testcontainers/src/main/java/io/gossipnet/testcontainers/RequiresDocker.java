package io.gossipnet.testcontainers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a Docker daemon. Without one the class is skipped with the reason,
 * unless the environment variable {@code REQUIRE_DOCKER=1} is set ({@code bin/test} sets it), in
 * which case it fails. See {@link DockerAvailableCondition}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("docker")
@ExtendWith(DockerAvailableCondition.class)
public @interface RequiresDocker {}
