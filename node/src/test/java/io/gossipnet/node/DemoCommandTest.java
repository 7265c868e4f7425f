package io.gossipnet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

  @org.junit.jupiter.params.ParameterizedTest(name = "--transport {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"mem", "p2p", "hybrid"})
  void theDemoDeliversEveryMessageToEveryNodeAndPrintsOnlyAJsonSummaryOnStdout(String transport) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = new CommandLine(new GossipnetCli()).execute("demo", "--transport", transport, "--nodes", "8", "--fanout", "3", "--messages", "200", "--json");
    } finally {
      System.setOut(saved);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    String json = lines[lines.length - 1];
    assertThat(code).isZero();
    assertThat(lines).as("stdout with --json").hasSize(1);
    assertThat(json).startsWith("{").endsWith("}");
    assertThat(json).contains("\"delivered\":1400,").contains("\"expected\":1400,");
    assertThat(json).contains("\"p50_ms\":").contains("\"p99_ms\":").contains("\"msgs_per_s\":");
  }

  @Test
  void badArgumentsAreRefusedWithAMessage() {
    int code = new CommandLine(new GossipnetCli()).execute("demo", "--nodes", "1");
    assertThat(code).isEqualTo(2);
  }
}
