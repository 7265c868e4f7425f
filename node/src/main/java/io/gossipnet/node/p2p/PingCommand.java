package io.gossipnet.node.p2p;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.protocol.Ping;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gossipnet p2p ping MULTIADDR}: dial, ping, print each round-trip time. */
@Command(name = "ping", mixinStandardHelpOptions = true,
    description = "Dial a libp2p peer and ping it; prints each round-trip time, exits non-zero on failure.")
public final class PingCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Peer multiaddr, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...")
  String address;

  @Option(names = "--count", defaultValue = "3", description = "Number of pings (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--timeout", defaultValue = "10", description = "Seconds to wait for the connection (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (count < 1) {
      err.println("ping: --count must be at least 1");
      return 2;
    }
    try (Host host = Host.builder().build().start()) {
      Connection c = host.dial(Multiaddr.fromString(address)).get(timeoutSeconds, TimeUnit.SECONDS);
      for (int i = 1; i <= count; i++) {
        Duration rtt = Ping.ping(c);
        out.printf(Locale.ROOT, "ping %d: %s rtt=%.3f ms%n", i, c.remotePeerId(), rtt.toNanos() / 1e6);
        out.flush();
      }
      return 0;
    } catch (Exception e) {
      err.println("ping " + address + " failed: " + Failures.describe(e));
      return 1;
    }
  }
}
