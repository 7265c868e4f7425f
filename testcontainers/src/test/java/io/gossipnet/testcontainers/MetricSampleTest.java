package io.gossipnet.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MetricSample#parse} reads the Prometheus text format as Micrometer writes it. */
class MetricSampleTest {
  @Test
  void readsSamplesWithAndWithoutLabelsAndSkipsComments() {
    List<MetricSample> samples = MetricSample.parse("""
        # HELP gossipnet_messages_received_total messages read
        # TYPE gossipnet_messages_received_total counter
        gossipnet_messages_received_total{network="ws",} 12.0
        gossipnet_messages_received_total{network="p2p"} 3.0

        jvm_threads_live_threads 42
        gossipnet_handle_seconds_max{network="p2p",quoted="a \\"b\\", c"} +Inf 1700000000000
        """);

    assertThat(samples).containsExactly(
        new MetricSample("gossipnet_messages_received_total", Map.of("network", "ws"), 12.0),
        new MetricSample("gossipnet_messages_received_total", Map.of("network", "p2p"), 3.0),
        new MetricSample("jvm_threads_live_threads", Map.of(), 42.0),
        new MetricSample("gossipnet_handle_seconds_max", Map.of("network", "p2p", "quoted", "a \"b\", c"), Double.POSITIVE_INFINITY));
    assertThat(samples.getFirst().label("network")).isEqualTo("ws");
    assertThat(samples.getFirst().label("absent")).isNull();
  }

  @Test
  void refusesALineThatIsNoSample() {
    assertThatThrownBy(() -> MetricSample.parse("<html>not found</html>\n")).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> MetricSample.parse("x{network=ws} 1\n")).isInstanceOf(AssertionError.class);
  }
}
