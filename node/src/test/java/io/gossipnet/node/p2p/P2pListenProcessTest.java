package io.gossipnet.node.p2p;

import static io.gossipnet.node.p2p.ListenProcess.messageLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gossipnet p2p listen --topic t} as separate processes, as in two terminals: stdin lines of
 * each are printed by the other as message events, both ways, and stdin EOF exits 0.
 */
class P2pListenProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<ListenProcess> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(ListenProcess::close);
  }

  private ListenProcess listen(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--listen", "/ip4/127.0.0.1/tcp/0"));
    all.addAll(List.of(args));
    ListenProcess p = ListenProcess.start(all.toArray(String[]::new));
    processes.add(p);
    return p;
  }

  /**
   * Writes {@code line} to {@code from} until {@code to} prints it: a line published before the
   * two have exchanged their subscriptions reaches no one (and {@code from} says so on stderr).
   */
  static void sendUntilReceived(ListenProcess from, ListenProcess to, String topic, String line) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      from.send(line);
      assertThat(to.stdout()).as("stderr of the receiver:%n%s", to.stderrText())
          .contains(messageLine(topic, from.peerId(), line));
    });
  }

  @Test
  void twoListenProcessesExchangeStdinLinesBothWaysAndExitZeroOnStdinEof() throws Exception {
    ListenProcess a = listen("--topic", "t");
    ListenProcess b = listen("--topic", "t", "--bootstrap", a.addr());

    sendUntilReceived(b, a, "t", "hello from b");
    sendUntilReceived(a, b, "t", "héllo from a ✓");

    // for people: the address to copy and the connection, on stderr (stdout stays JSON)
    assertThat(a.stderrText()).contains("p2p listen: listening on " + a.addr(),
        "p2p listen: connected to " + b.peerId() + " (inbound");
    assertThat(b.stderrText()).contains("p2p listen: connected to " + a.peerId() + " (outbound");
    assertThat(a.stdout()).allMatch(l -> l.startsWith("{"));

    a.closeStdin();
    b.closeStdin();
    assertThat(a.awaitExit(Duration.ofSeconds(15))).isZero();
    assertThat(b.awaitExit(Duration.ofSeconds(15))).isZero();
  }

  @Test
  void noSignListenProcessesExchangeLinesBothWays() throws Exception {
    ListenProcess a = listen("--topic", "t", "--no-sign");
    ListenProcess b = listen("--topic", "t", "--no-sign", "--bootstrap", a.addr());
    // StrictNoSign carries no author: "from" is the forwarding peer, here the author itself
    sendUntilReceived(b, a, "t", "unsigned from b");
    sendUntilReceived(a, b, "t", "unsigned from a");
  }

  @Test
  void withoutListenASecondProcessTakesAFreePortWhen4001IsInUse() throws Exception {
    // hold 4001 as a first `p2p listen` would (or find it held by something else)
    try (ServerSocket first = bindOrNull(4001)) {
      ListenProcess p = ListenProcess.start("--topic", "t");
      processes.add(p);
      assertThat(p.addrs()).noneMatch(a -> a.contains("/tcp/4001/"));
      assertThat(p.stderrText()).contains("/ip4/0.0.0.0/tcp/4001 is in use; listening on /ip4/0.0.0.0/tcp/0");
      assertThat(p.stderrText()).contains("another peer joins with: gossipnet p2p listen --topic t --bootstrap " + p.addr());

      p.send("nobody hears this");
      await().atMost(WAIT).until(() -> p.stderrText().contains("p2p listen: no peer on topic t yet; the line was not sent"));
      p.closeStdin();
      assertThat(p.awaitExit(Duration.ofSeconds(15))).isZero();
    }
  }

  @Test
  void anExplicitListenAddressInUseExitsOneWithAOneLineMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ListenProcess p = ListenProcess.run("--topic", "t", "--listen", "/ip4/127.0.0.1/tcp/" + taken.getLocalPort());
      processes.add(p);
      assertThat(p.awaitExit(Duration.ZERO)).isEqualTo(1);
      assertThat(p.stderrText()).isEqualTo("p2p listen: cannot listen on /ip4/127.0.0.1/tcp/" + taken.getLocalPort()
          + ": Address already in use");
      assertThat(p.stdout()).isEmpty();
    }
  }

  private static ServerSocket bindOrNull(int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
      return s;
    } catch (IOException e) {
      return null; // in use already
    }
  }
}
