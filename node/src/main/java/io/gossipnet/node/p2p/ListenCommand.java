package io.gossipnet.node.p2p;

import io.gossipnet.libp2p.Host;
import io.gossipnet.libp2p.http.HttpResponse;
import io.gossipnet.libp2p.http.HttpServer;
import io.gossipnet.libp2p.http.Json;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gossipnet p2p listen}: a bare host answering identify, ping and HTTP {@code /status}. It
 * prints {@code {"peerId": ..., "addrs": [...]}} on stdout when ready and stops on SIGTERM or when
 * stdin closes.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
    description = "Run a bare libp2p host (identify, ping, HTTP /status) until SIGTERM or stdin closes.")
public final class ListenCommand implements Callable<Integer> {
  @Option(names = "--listen", defaultValue = "/ip4/0.0.0.0/tcp/4001", description = "TCP multiaddr to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--key", description = "Identity key file (hex libp2p PrivateKey protobuf); created when missing.")
  Path key;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  InputStream stdin = System.in;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Multiaddr address;
    try {
      address = Multiaddr.fromString(listen);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
    }
    Host host = Host.builder().identity(KeyFiles.loadOrCreate(key)).listen(address).build();
    HttpServer http = new HttpServer().route("/gossipnet/status/1.0.0", "/status", Set.of("GET"),
        req -> HttpResponse.text(200, "application/json", "{\"peerId\":" + Json.quote(host.peerId().toBase58())
            + ",\"connections\":" + host.connections().size() + "}"));
    host.setStreamHandler(HttpServer.PROTOCOL, http);
    host.start();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // On SIGTERM: wake the main thread, and keep the JVM alive until the host has closed.
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        closed.await(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "p2p-listen-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread.ofVirtual().start(() -> {
      try {
        while (stdin.read() >= 0) {
          // input is ignored; end of input stops the host
        }
      } catch (java.io.IOException ignored) {
        // treat as closed
      }
      stop.countDown();
    });
    List<String> addrs = host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId()).toString()).toList();
    out.println("{\"peerId\":" + Json.quote(host.peerId().toBase58()) + ",\"addrs\":["
        + addrs.stream().map(Json::quote).collect(Collectors.joining(",")) + "]}");
    out.flush();
    stop.await();
    host.close();
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM path
    }
    return 0;
  }

}
