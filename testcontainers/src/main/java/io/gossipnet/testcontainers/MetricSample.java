package io.gossipnet.testcontainers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One sample of a node's {@code GET /metrics} (the Prometheus text exposition format): {@code
 * name{label="value",...} value}. Comment lines ({@code # HELP}, {@code # TYPE}) and blank lines
 * carry no sample.
 *
 * @param name the sample's name, e.g. {@code gossipnet_peers} (Micrometer writes a meter {@code
 *     gossipnet.peers} so)
 * @param labels its labels, in the order written
 * @param value its value
 */
public record MetricSample(String name, Map<String, String> labels, double value) {
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** Keeps the labels as given, read-only. */
  public MetricSample {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /**
   * Reads a whole exposition.
   *
   * @param text the body of {@code /metrics}
   * @return its samples, in order
   * @throws AssertionError on a line that is neither a comment nor a sample
   */
  public static List<MetricSample> parse(String text) {
    List<MetricSample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(trimmed);
      if (!m.matches()) {
        throw new AssertionError("not a Prometheus sample: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        int end = 0;
        while (l.find() && l.start() == end) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
          end = l.end();
        }
        if (end != m.group(2).length()) {
          throw new AssertionError("malformed labels in: " + line);
        }
      }
      samples.add(new MetricSample(m.group(1), labels, parseValue(m.group(3), line)));
    }
    return samples;
  }

  /**
   * The value of one label.
   *
   * @param label its name
   * @return its value, or null if the sample has no such label
   */
  public String label(String label) {
    return labels.get(label);
  }

  private static double parseValue(String value, String line) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new AssertionError("not a sample value in: " + line, e);
        }
      }
    };
  }
}
