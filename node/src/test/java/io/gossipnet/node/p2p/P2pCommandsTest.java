package io.gossipnet.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.http.HttpClient;
import io.gossipnet.libp2p.http.HttpRequest;
import io.gossipnet.libp2p.http.HttpResponse;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.node.GossipnetCli;
import java.io.BufferedReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class P2pCommandsTest {

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

  @Test
  void listenPrintsItsAddressAndAnswersPingIdentifyAndStatusUntilStdinCloses(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("node.key");
    PipedOutputStream stdinWriter = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(stdinWriter);
    PipedInputStream stdoutReader = new PipedInputStream();
    PrintWriter stdout = new PrintWriter(new PipedOutputStream(stdoutReader), true);
    ListenCommand listen = new ListenCommand();
    listen.stdin = stdin;
    CommandLine cli = new CommandLine(listen);
    cli.setOut(stdout);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> cli.execute("--listen", "/ip4/127.0.0.1/tcp/0", "--key", key.toString()));

    String ready = new BufferedReader(new java.io.InputStreamReader(stdoutReader)).readLine();
    Matcher m = Pattern.compile("\\{\"peerId\":\"(\\w+)\",\"addrs\":\\[\"([^\"]+)\"]}").matcher(ready);
    assertThat(m.matches()).as(ready).isTrue();
    String addr = m.group(2);
    assertThat(addr).endsWith("/p2p/" + m.group(1));
    assertThat(Files.readString(key)).startsWith("08011240");

    Run ping = run("p2p", "ping", addr, "--count", "2");
    assertThat(ping.exit()).as(ping.err()).isZero();
    assertThat(new BufferedReader(new StringReader(ping.out())).lines())
        .hasSize(2).allMatch(l -> l.matches("ping \\d: \\w+ rtt=[\\d.]+ ms"));

    Run identify = run("p2p", "identify", addr);
    assertThat(identify.exit()).as(identify.err()).isZero();
    assertThat(identify.out()).contains("\"agentVersion\":\"gossipnet/0.1.0\"", "\"/ipfs/ping/1.0.0\"", "\"/http/1.1\"");

    try (Host client = Host.builder().build().start()) {
      Connection c = client.dial(Multiaddr.fromString(addr)).get(10, TimeUnit.SECONDS);
      HttpResponse status = new HttpClient().send(c, HttpRequest.get("/status"));
      assertThat(status.status()).isEqualTo(200);
      assertThat(status.bodyText()).contains("\"peerId\":\"" + m.group(1) + "\"");
    }

    stdinWriter.close();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void pingOfAnUnreachablePeerExitsNonZeroWithAMessage() {
    Run r = run("p2p", "ping", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("failed", "refused");
  }

  @Test
  void pingWithAnInvalidAddressExitsNonZero() {
    Run r = run("p2p", "ping", "/ip4/nope/tcp/1");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("invalid ip4");
  }
}
