package io.gossipnet.testkit;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live threads of this JVM, virtual ones included, from a JSON thread dump: {@link
 * Thread#getAllStackTraces()} lists platform threads only, while a node's peer loops and handlers
 * run on virtual threads. Virtual threads started with the {@code Thread} API are in the dump when
 * the JVM tracks all threads ({@code jdk.trackAllThreads}, on by default).
 */
public final class LiveThreads {
  private static final Pattern TID = Pattern.compile("\"tid\"\\s*:\\s*\"?(\\d+)\"?");
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private LiveThreads() {}

  /**
   * The live threads whose name starts with one of {@code prefixes}, as thread ID to name.
   *
   * @throws UncheckedIOException if the dump cannot be written or read
   */
  public static Map<Long, String> named(List<String> prefixes) {
    Map<Long, String> out = new LinkedHashMap<>();
    for (Map.Entry<Long, String> t : all().entrySet()) {
      for (String p : prefixes) {
        if (t.getValue().startsWith(p)) {
          out.put(t.getKey(), t.getValue());
          break;
        }
      }
    }
    return out;
  }

  /**
   * Every live thread, as thread ID to name.
   *
   * @throws UncheckedIOException if the dump cannot be written or read
   */
  public static Map<Long, String> all() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("gossipnet-threads");
      Path file = dir.resolve("dump.json");
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("thread dump failed", e);
    } finally {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  /** Each {@code "tid"} of the dump with the {@code "name"} that follows it. */
  static Map<Long, String> parse(String json) {
    Map<Long, String> out = new LinkedHashMap<>();
    Matcher tid = TID.matcher(json);
    Matcher name = NAME.matcher(json);
    List<long[]> positions = new ArrayList<>();
    while (tid.find()) {
      positions.add(new long[] {tid.end(), Long.parseLong(tid.group(1))});
    }
    for (long[] p : positions) {
      if (name.find((int) p[0])) {
        out.put(p[1], unescape(name.group(1)));
      }
    }
    return out;
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 < s.length()) {
              sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
              i += 4;
            }
          }
          default -> sb.append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
