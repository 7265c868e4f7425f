package io.gossipnet.benchmarks.ws;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.ws.WsNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code java -cp benchmarks/target/benchmarks.jar io.gossipnet.benchmarks.ws.WsBench [msgs|bytes|setup|heap|all] [seconds]}.
 *
 * <ul>
 *   <li>{@code msgs}: go-algorand's shape (2 nodes, 200-byte messages, 90 in flight, fanout 1),
 *       WsNetwork next to raw Jetty batched and unbatched, in the same run;
 *   <li>{@code bytes}: 1 KiB and 16 KiB messages in bytes per second, WsNetwork next to raw Jetty
 *       and iperf3 (if installed);
 *   <li>{@code setup}: connection set-up time including the identity challenge;
 *   <li>{@code heap}: heap per idle peer with 1,000 peers connected to one node;
 *   <li>diagnostics: {@code gossipnet} (the WsNetwork figure alone, for profiling), {@code mem}
 *       (the same shape over the in-memory transport: the engine's own ceiling), {@code receive}
 *       (a raw Jetty client sending to one WsNetwork node: the receive path alone), {@code latency}
 *       (one message in flight).
 * </ul>
 */
public final class WsBench {
  private WsBench() {}

  /** Runs the chosen benchmarks and prints one line per figure. */
  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.printf(Locale.ROOT, "# JDK %s, %d cores, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), java.time.Instant.now());
    if (what.equals("gossipnet")) {
      System.out.printf(Locale.ROOT, "gossipnet-ws 200B window 90: %.0f msg/s%n", gossipnet(200, 90, seconds));
    }
    if (what.equals("latency")) {
      System.out.printf(Locale.ROOT, "window 1: gossipnet-ws %.0f msg/s, mem %.0f msg/s, raw %.0f msg/s%n", gossipnet(200, 1, seconds), memory(200, 1, seconds), rawJetty(200, 1, true, seconds));
    }
    if (what.equals("receive")) {
      System.out.printf(Locale.ROOT, "raw Jetty client -> gossipnet-ws node, 200B window 90: %.0f msg/s%n", rawToGossipnet(200, 90, seconds));
    }
    if (what.equals("mem")) {
      System.out.printf(Locale.ROOT, "engine over the in-memory transport 200B window 90: %.0f msg/s%n", memory(200, 90, seconds));
    }
    if (what.equals("msgs") || what.equals("all")) {
      msgs(seconds);
    }
    if (what.equals("bytes") || what.equals("all")) {
      bytes(seconds);
    }
    if (what.equals("setup") || what.equals("all")) {
      SetupBench.run(500);
    }
    if (what.equals("heap") || what.equals("all")) {
      HeapBench.run(args.length > 2 ? Integer.parseInt(args[2]) : 1000);
    }
    System.exit(0);
  }

  static void msgs(int seconds) throws Exception {
    int size = 200;
    int window = 90;
    double raw = rawJetty(size, window, true, seconds);
    double rawUnbatched = rawJetty(size, window, false, seconds);
    double gn = gossipnet(size, window, seconds);
    double raw2 = rawJetty(size, window, true, seconds);
    System.out.printf(Locale.ROOT, "msgs 200B window 90: raw-jetty-batched %.0f msg/s (again at end: %.0f), raw-jetty-unbatched %.0f msg/s, gossipnet-ws %.0f msg/s (%.0f %% of batched raw)%n",
        raw, raw2, rawUnbatched, gn, 100 * gn / Math.max(raw, raw2));
  }

  static void bytes(int seconds) throws Exception {
    for (int size : new int[] {1024, 16 * 1024}) {
      int window = Math.max(90, (4 << 20) / size);
      double rawDefault = rawJetty(size, window, true, seconds, 0) * size;
      double raw = rawJetty(size, window, true, seconds) * size;
      double gn = gossipnet(size, window, seconds) * size;
      double gnNoFilter = size >= NetworkConfig.DEFAULT_MESSAGE_FILTER_SIZE ? gossipnet(size, window, seconds, false) * size : gn;
      System.out.printf(Locale.ROOT, "bytes %dB window %d: raw-jetty-batched with Jetty's default buffers %.1f MB/s, with 32 KiB buffers %.1f MB/s; "
              + "gossipnet-ws %.1f MB/s (%.0f %% of the better raw), without outgoing filtering %.1f MB/s (%.0f %%)%n",
          size, window, rawDefault / 1e6, raw / 1e6, gn / 1e6, 100 * gn / Math.max(raw, rawDefault), gnNoFilter / 1e6, 100 * gnNoFilter / Math.max(raw, rawDefault));
    }
    double tcp = Iperf.loopbackBytesPerSecond(seconds);
    if (tcp > 0) {
      System.out.printf(Locale.ROOT, "bytes iperf3 loopback TCP: %.1f MB/s%n", tcp / 1e6);
    } else {
      System.out.println("bytes iperf3: not installed (apt-get install -y iperf3)");
    }
  }

  /** Messages per second moved by raw Jetty with {@code window} messages in flight. */
  static double rawJetty(int size, int window, boolean batch, int seconds) throws Exception {
    return rawJetty(size, window, batch, seconds, WsConfig.DEFAULT_IO_BUFFER_SIZE);
  }

  /** As above with Jetty's input/output buffers of {@code bufferSize} bytes (0: Jetty's defaults). */
  static double rawJetty(int size, int window, boolean batch, int seconds, int bufferSize) throws Exception {
    byte[][] msgs = new byte[window][];
    for (int i = 0; i < window; i++) {
      msgs[i] = new byte[size];
    }
    try (RawJetty raw = new RawJetty(bufferSize)) {
      return drive(raw.received, n -> raw.send(msgs, n, batch), window, seconds);
    }
  }

  /** Messages per second from node A to node B of two WsNetwork nodes. */
  public static double gossipnet(int size, int window, int seconds) throws Exception {
    return gossipnet(size, window, seconds, true);
  }

  /**
   * Messages per second from node A to node B of two WsNetwork nodes; {@code filtering} is the
   * engine's outgoing message filtering (an SHA-512/256 digest of every message of 5000 bytes or
   * more, on both sides), on by default as in the seed.
   */
  static double gossipnet(int size, int window, int seconds, boolean filtering) throws Exception {
    AtomicLong received = new AtomicLong();
    int port = freePort();
    NetworkConfig.Builder common = NetworkConfig.builder("bench-v1").meshInterval(Duration.ofSeconds(1)).enableOutgoingMessageFiltering(filtering);
    WsNetwork b = new WsNetwork(common.listenAddress("127.0.0.1:" + port).publicAddress("http://127.0.0.1:" + port).gossipFanout(0).build(), WsConfig.defaults(), new SimpleMeterRegistry());
    b.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
      received.incrementAndGet();
      return OutgoingMessage.ignore();
    })));
    WsNetwork a = new WsNetwork(NetworkConfig.builder("bench-v1").listenAddress("").relayPeers(List.of("127.0.0.1:" + port)).gossipFanout(1).meshInterval(Duration.ofSeconds(1)).enableOutgoingMessageFiltering(filtering).build(), WsConfig.defaults(), new SimpleMeterRegistry());
    b.start();
    a.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (a.connectedPeers().isEmpty() || b.connectedPeers().isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("nodes did not connect");
        }
        LockSupport.parkNanos(1_000_000);
      }
      byte[] payload = new byte[size];
      return drive(received, n -> {
        for (int i = 0; i < n; ) {
          try {
            a.broadcast(Tags.TX, payload, false, null);
            i++;
          } catch (io.gossipnet.core.GossipException.QueueFull e) {
            LockSupport.parkNanos(10_000); // the broadcaster's bulk queue holds 100
          }
        }
      }, window, seconds);
    } finally {
      a.stop();
      b.stop();
    }
  }

  /** A raw Jetty client sending TX messages to one WsNetwork node: the receive path alone. */
  static double rawToGossipnet(int size, int window, int seconds) throws Exception {
    AtomicLong received = new AtomicLong();
    int port = freePort();
    WsNetwork b = new WsNetwork(NetworkConfig.builder("bench-v1").listenAddress("127.0.0.1:" + port).gossipFanout(0).build(), WsConfig.defaults(), new SimpleMeterRegistry());
    b.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
      received.incrementAndGet();
      return OutgoingMessage.ignore();
    })));
    b.start();
    byte[][] msgs = new byte[window][];
    for (int i = 0; i < window; i++) {
      msgs[i] = new byte[size + 2];
      msgs[i][0] = 'T';
      msgs[i][1] = 'X';
    }
    try (RawJetty raw = new RawJetty(java.net.URI.create("ws://127.0.0.1:" + port + "/v1/bench-v1/gossip"), "bench-v1")) {
      return drive(received, n -> raw.send(msgs, n, true), window, seconds);
    } finally {
      b.stop();
    }
  }

  /** The same shape over the in-memory transport: the engine's own ceiling. */
  static double memory(int size, int window, int seconds) throws Exception {
    AtomicLong received = new AtomicLong();
    try (io.gossipnet.core.memory.MemoryCluster c = io.gossipnet.core.memory.MemoryCluster.builder(2).fanout(1).build()) {
      c.node(1).registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
        received.incrementAndGet();
        return OutgoingMessage.ignore();
      })));
      c.node(0).registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> {
        received.incrementAndGet();
        return OutgoingMessage.ignore();
      })));
      c.start();
      c.awaitMesh(Duration.ofSeconds(10));
      byte[] payload = new byte[size];
      return drive(received, n -> {
        for (int i = 0; i < n; i++) {
          c.node(0).broadcast(Tags.TX, payload, false, null);
        }
      }, window, seconds);
    }
  }

  /** Sends {@code n} more messages. */
  public interface Sender {
    /** Sends {@code n} messages. */
    void send(int n) throws Exception;
  }

  /** Keeps {@code window} messages in flight for a second of warm-up and {@code seconds} of measurement. */
  public static double drive(AtomicLong received, Sender sender, int window, int seconds) throws Exception {
    long sent = 0;
    long warmupEnd = System.nanoTime() + 1_000_000_000L;
    long start = 0;
    long startCount = 0;
    long end = warmupEnd + seconds * 1_000_000_000L;
    while (true) {
      long now = System.nanoTime();
      if (start == 0 && now >= warmupEnd) {
        start = now;
        startCount = received.get();
      }
      if (now >= end) {
        break;
      }
      long inFlight = sent - received.get();
      int n = (int) (window - inFlight);
      if (n <= 0) {
        LockSupport.parkNanos(20_000);
        continue;
      }
      sender.send(n);
      sent += n;
    }
    long got = received.get() - startCount;
    return got / ((System.nanoTime() - start) / 1e9);
  }

  static int freePort() {
    return io.gossipnet.testkit.FreePorts.loopback();
  }
}
