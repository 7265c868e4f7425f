package io.gossipnet.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.node.GossipnetCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code p2p listen --topic/--dht/--provide-text/--bootstrap} and {@code p2p dht find-providers}, in-process. */
class P2pGossipDhtCommandsTest {
  private static final Pattern READY = Pattern.compile("\\{\"peerId\":\"(\\w+)\",\"addrs\":\\[\"([^\"]+)\"]}");

  /** A running {@code p2p listen}: its stdin, the lines it printed, its exit. */
  private static final class Listener {
    // Written only from the test thread (pollInSameThread): a PipedInputStream reports "write end
    // dead" once the thread that last wrote has ended, which would stop the listener.
    final PipedOutputStream stdin = new PipedOutputStream();
    final List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> exit;
    String peerId;
    String addr;

    void send(String line) throws Exception {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }
  }

  private final List<Listener> listeners = new ArrayList<>();

  @AfterEach
  void stopListeners() throws Exception {
    for (Listener l : listeners) {
      l.stdin.close();
    }
    for (Listener l : listeners) {
      assertThat(l.exit.get(15, TimeUnit.SECONDS)).isZero();
    }
  }

  private Listener listen(String... options) throws Exception {
    Listener l = new Listener();
    listeners.add(l);
    PipedInputStream stdoutReader = new PipedInputStream(1 << 16);
    PrintWriter stdout = new PrintWriter(new PipedOutputStream(stdoutReader), true);
    ListenCommand listen = new ListenCommand();
    listen.stdin = new PipedInputStream(l.stdin);
    CommandLine cli = new CommandLine(listen);
    cli.setOut(stdout);
    List<String> args = new ArrayList<>(List.of("--listen", "/ip4/127.0.0.1/tcp/0"));
    args.addAll(List.of(options));
    l.exit = CompletableFuture.supplyAsync(() -> {
      try {
        return cli.execute(args.toArray(String[]::new));
      } finally {
        stdout.close();
      }
    }, Thread::startVirtualThread); // not the common pool: with 2 cores it has one thread
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stdoutReader, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          l.lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // writer gone
      }
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> !l.lines.isEmpty() || l.exit.isDone());
    Matcher m = READY.matcher(l.lines.isEmpty() ? "" : l.lines.get(0));
    assertThat(m.matches()).as("ready line %s", l.lines).isTrue();
    l.peerId = m.group(1);
    l.addr = m.group(2);
    return l;
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new GossipnetCli());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String messageLine(String topic, String from, String data) {
    return "{\"event\":\"message\",\"topic\":\"" + topic + "\",\"from\":\"" + from + "\",\"data\":\"" + data + "\"}";
  }

  @Test
  void twoTopicListenersExchangeStdinLinesBothWays() throws Exception {
    Listener a = listen("--topic", "t");
    Listener b = listen("--topic", "t", "--bootstrap", a.addr);

    // Until both meshes are formed a publish may reach no one: publish again until one arrives.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).pollInSameThread().untilAsserted(() -> {
      b.send("hello from b");
      assertThat(a.lines).contains(messageLine("t", b.peerId, "hello from b"));
    });
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).pollInSameThread().untilAsserted(() -> {
      a.send("héllo from a");
      assertThat(b.lines).contains(messageLine("t", a.peerId, "héllo from a"));
    });
  }

  @Test
  void noSignListenersExchangeMessages() throws Exception {
    Listener a = listen("--topic", "t", "--no-sign");
    Listener b = listen("--topic", "t", "--no-sign", "--bootstrap", a.addr);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).pollInSameThread().untilAsserted(() -> {
      b.send("unsigned");
      // StrictNoSign carries no author: "from" is the forwarding peer, here the author itself
      assertThat(a.lines).contains(messageLine("t", b.peerId, "unsigned"));
    });
  }

  @Test
  void findProvidersFindsTheListenerThatProvidesTheText() throws Exception {
    Listener provider = listen("--dht", "--provide-text", "hello");
    await().atMost(Duration.ofSeconds(20))
        .until(() -> provider.lines.stream().anyMatch(l -> l.startsWith("{\"event\":\"provided\",\"text\":\"hello\"")));

    Run r = run("p2p", "dht", "find-providers", "--text", "hello", "--bootstrap", provider.addr, "--count", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).matches("\\{\"providers\":\\[\\{\"peerId\":\"" + provider.peerId
        + "\",\"addrs\":\\[\"/ip4/127\\.0\\.0\\.1/tcp/\\d+[^\"]*\"]}]}");
  }

  @Test
  void findProvidersOfAnUnprovidedTextExitsNonZeroAfterTheTimeout() throws Exception {
    Listener dht = listen("--dht");
    Run r = run("p2p", "dht", "find-providers", "--text", "nobody has this", "--bootstrap", dht.addr,
        "--timeout", "2");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no provider found");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void provideTextWithoutDhtIsAUsageError() {
    Run r = run("p2p", "listen", "--listen", "/ip4/127.0.0.1/tcp/0", "--provide-text", "x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--provide-text needs --dht");
  }
}
