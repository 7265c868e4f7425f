package io.gossipnet.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.node.GossipnetCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code gossipnet p2p listen} process, as a user runs it in a terminal: its own JVM, lines
 * written to its stdin, its stdout and stderr read line by line. The command is {@code java -jar
 * <gossipnet.node.jar>} when that system property is set (the failsafe ITs: the shaded jar that
 * {@code bin/gossipnet} runs), else {@code java -cp <test classpath> io.gossipnet.node.GossipnetCli}.
 */
final class ListenProcess implements AutoCloseable {
  private static final Pattern PEER_ID = Pattern.compile("^\\{\"peerId\":\"(\\w+)\",\"addrs\":\\[");
  private static final Pattern ADDR = Pattern.compile("\"(/ip4/[^\"]+)\"");

  private final Process process;
  private final Writer stdin;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private String peerId;
  private final List<String> addrs = new ArrayList<>();

  private ListenProcess(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread.ofVirtual().start(() -> readLines(process.getInputStream(), stdout));
    Thread.ofVirtual().start(() -> readLines(process.getErrorStream(), stderr));
  }

  /** The command line of {@code gossipnet p2p listen <args>}. */
  static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC"));
    String jar = System.getProperty("gossipnet.node.jar");
    if (jar != null) {
      assertThat(Path.of(jar)).as("the shaded jar (built by the package phase)").isRegularFile();
      cmd.addAll(List.of("-jar", jar));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GossipnetCli.class.getName()));
    }
    cmd.addAll(List.of("p2p", "listen"));
    cmd.addAll(args);
    return cmd;
  }

  /** Starts {@code p2p listen <args>} and waits for its ready line. */
  static ListenProcess start(String... args) throws IOException {
    ListenProcess p = new ListenProcess(new ProcessBuilder(command(List.of(args))).start());
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !p.stdout.isEmpty() || !p.process.isAlive());
      String ready = p.stdout.isEmpty() ? "" : p.stdout.get(0);
      Matcher m = PEER_ID.matcher(ready);
      assertThat(m.find()).as("ready line %s; stderr:%n%s", ready, p.stderrText()).isTrue();
      p.peerId = m.group(1);
      Matcher a = ADDR.matcher(ready);
      while (a.find()) {
        p.addrs.add(a.group(1));
      }
      assertThat(p.addrs).as(ready).isNotEmpty().allMatch(s -> s.endsWith("/p2p/" + p.peerId));
      return p;
    } catch (RuntimeException | Error e) {
      p.close();
      throw e;
    }
  }

  /** Runs {@code p2p listen <args>} with stdin closed at once, until it exits. */
  static ListenProcess run(String... args) throws Exception {
    ListenProcess p = new ListenProcess(new ProcessBuilder(command(List.of(args))).start());
    p.closeStdin();
    assertThat(p.process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    return p;
  }

  private static void readLines(InputStream in, List<String> into) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        into.add(line);
      }
    } catch (IOException ignored) {
      // process gone
    }
  }

  String peerId() {
    return peerId;
  }

  /** Every address of the ready line. */
  List<String> addrs() {
    return addrs;
  }

  /** The loopback address of the ready line (or its first), with /p2p/. */
  String addr() {
    return addrs.stream().filter(a -> a.startsWith("/ip4/127.")).findFirst().orElse(addrs.get(0));
  }

  List<String> stdout() {
    return stdout;
  }

  String stderrText() {
    return String.join("\n", stderr);
  }

  /** Writes one line to stdin: the process publishes it on its first topic. */
  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  void closeStdin() throws IOException {
    stdin.close();
  }

  /** Waits for the exit and returns its status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("p2p listen exited within %s; stderr:%n%s", timeout, stderrText()).isTrue();
    return process.exitValue();
  }

  /** The line {@code p2p listen} prints for a received message. */
  static String messageLine(String topic, String from, String data) {
    return "{\"event\":\"message\",\"topic\":\"" + topic + "\",\"from\":\"" + from + "\",\"data\":\"" + data + "\"}";
  }

  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already closed
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
