package io.gossipnet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core must stay transport-neutral: the design forbids Jetty and Netty in it. */
class CoreDependenciesTest {

  @Test
  void noCoreSourceImportsJettyOrNetty() throws IOException {
    Path src = Path.of("src/main/java");
    assertThat(src).isDirectory();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(src)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> {
                try {
                  String s = Files.readString(p);
                  return s.contains("org.eclipse.jetty") || s.contains("io.netty");
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
              .map(Path::toString)
              .toList();
    }
    assertThat(offenders).isEmpty();
  }
}
