package io.gossipnet.benchmarks.ws;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.spi.Transport.EstablishedConnection;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.ws.WsNetwork;
import io.gossipnet.ws.WsTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heap per idle connected peer: one WsNetwork node in this JVM, {@code n} WebSocket clients in a
 * child JVM (so their heap is not counted), heap after full GCs before and after.
 */
final class HeapBench {
  private HeapBench() {}

  static void run(int n) throws Exception {
    int port = WsBench.freePort();
    WsNetwork server = new WsNetwork(
        NetworkConfig.builder("bench-v1").listenAddress("127.0.0.1:" + port).publicAddress("http://127.0.0.1:" + port)
            .gossipFanout(0).maxConnectionsPerIp(n + 10).incomingConnectionsLimit(n + 10).build(),
        WsConfig.defaults(), new SimpleMeterRegistry());
    server.start();
    Process clients = null;
    try {
      long before = usedHeapAfterGc();
      String java = ProcessHandle.current().info().command().orElse("java");
      clients = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Clients.class.getName(), Integer.toString(port), Integer.toString(n))
          .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (server.connectedPeers().size() < n && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      int peers = server.connectedPeers().size();
      Thread.sleep(2000);
      long after = usedHeapAfterGc();
      System.out.printf(Locale.ROOT, "heap: %d idle peers connected; heap %.1f MiB -> %.1f MiB; %.1f KiB per idle peer (server side only; clients in another JVM)%n",
          peers, before / 1048576.0, after / 1048576.0, (after - before) / 1024.0 / Math.max(1, peers));
    } finally {
      if (clients != null) {
        clients.destroy();
        clients.waitFor(10, TimeUnit.SECONDS);
      }
      server.stop();
    }
  }

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The child process: dials {@code n} connections and keeps them open until killed. */
  public static final class Clients {
    private Clients() {}

    /** Arguments: port, count. */
    public static void main(String[] args) throws Exception {
      int port = Integer.parseInt(args[0]);
      int n = Integer.parseInt(args[1]);
      WsTransport t = ClientTransport.start("bench-v1");
      List<CompletableFuture<EstablishedConnection>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(t.dial("http://127.0.0.1:" + port));
        if (all.size() % 50 == 0) {
          CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        }
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      Thread.sleep(Duration.ofHours(1));
    }
  }
}
