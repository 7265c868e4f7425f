package io.gossipnet.node.p2p;

import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.http.Json;
import io.gossipnet.libp2p.kad.Capabilities;
import io.gossipnet.libp2p.kad.KadConfig;
import io.gossipnet.libp2p.kad.KadDht;
import io.gossipnet.libp2p.kad.KadPeer;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gossipnet p2p dht find-providers --text TEXT --bootstrap MULTIADDR}: a client-mode DHT
 * host bootstraps, looks up the providers of the CIDv1 raw SHA-256 of the text (key: its
 * multihash) and prints {@code {"providers":[{"peerId":...,"addrs":[...]}]}}; exits 1 when none is
 * found within the timeout.
 */
@Command(name = "find-providers", mixinStandardHelpOptions = true,
    description = "Find the DHT providers of the CIDv1 raw SHA-256 of a text; prints them as JSON, exits non-zero when none is found in time.")
public final class FindProvidersCommand implements Callable<Integer> {
  @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The provided text (key: multihash of the SHA-256 of its UTF-8 bytes).")
  String text;

  @Option(names = "--bootstrap", required = true, paramLabel = "MULTIADDR", description = "DHT peer to bootstrap from, with /p2p/ (repeatable).")
  List<String> bootstrap;

  @Option(names = "--count", defaultValue = "20", description = "Most providers to return (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--timeout", defaultValue = "20", description = "Seconds to wait for at least one provider (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Multiaddr> peers = ListenCommand.parseBootstrap(spec.commandLine(), bootstrap);
    if (count < 1 || timeoutSeconds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--count and --timeout must be at least 1");
    }
    byte[] key = Capabilities.capabilityKey(text);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try (Host host = Host.builder().build().start();
        KadDht dht = KadDht.start(host, KadConfig.defaults().withServerMode(false).withBootstrap(peers))) {
      dht.awaitPeers(1, Duration.ofNanos(deadline - System.nanoTime())).get(timeoutSeconds, TimeUnit.SECONDS);
      List<KadPeer> found = List.of();
      while (found.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException();
        }
        found = CompletableFuture.supplyAsync(() -> dht.findProviders(key, count), Thread::startVirtualThread)
            .get(left, TimeUnit.NANOSECONDS);
        if (found.isEmpty()) {
          // none yet: the provider may announce later; ask again shortly
          Thread.sleep(Math.min(1000, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
      }
      out.println("{\"providers\":[" + found.stream().map(FindProvidersCommand::json).collect(Collectors.joining(","))
          + "]}");
      out.flush();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("find-providers: interrupted");
      return 1;
    } catch (Exception e) {
      err.println("find-providers " + text + ": no provider found: " + Failures.describe(e));
      return 1;
    }
  }

  private static String json(KadPeer p) {
    return "{\"peerId\":" + Json.quote(p.id().toBase58()) + ",\"addrs\":["
        + p.addresses().stream().map(a -> Json.quote(a.toString())).collect(Collectors.joining(",")) + "]}";
  }
}
