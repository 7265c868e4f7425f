package io.gossipnet.libp2p.bench;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.internal.noise.CipherState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Measures, in one run on one machine: bulk throughput of one stream over TCP + Noise + Yamux on
 * loopback (Java to Java, and js to js with {@code src/test/js/bench.mjs}), the JDK's
 * ChaCha20-Poly1305 speed, and connection set-up time (TCP + Noise + Yamux + first stream).
 *
 * <p>Run: {@code ./mvnw -q -pl libp2p -am test-compile} then
 * {@code java -cp "$(cat libp2p/target/bench.classpath):libp2p/target/classes:libp2p/target/test-classes"
 * io.gossipnet.libp2p.bench.Libp2pBenchmark [MiB]} (see the module README).
 */
public final class Libp2pBenchmark {
  private static final String SINK = "/bench/sink/1.0.0";
  private static final String RTT = "/bench/rtt/1.0.0";

  /** {@code -Dbench.javaOnly=true}: only the cipher and Java -> Java rounds, printed per round. */
  private static final boolean JAVA_ONLY = Boolean.getBoolean("bench.javaOnly");

  private Libp2pBenchmark() {}

  /** Runs all measurements and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 512;
    double cipher = cipherMiBPerSecond();
    double java = 0;
    double cpuMsPerMiB = Double.MAX_VALUE;
    double cpuNoJitMsPerMiB = Double.MAX_VALUE;
    double setupMillis;
    double newPeerSetupMillis;
    // Set-up is measured with many short connections between the same two peers: lift the limits.
    try (Host server = Host.builder().listen("/ip4/127.0.0.1/tcp/0").connectionLimits(4096, 4096, 4096).build().start();
        Host client = Host.builder().connectionLimits(4096, 4096, 4096).build().start()) {
      server.setStreamHandler(SINK, s -> {
        byte[] buf = new byte[256 * 1024];
        long n = 0;
        int r;
        while ((r = s.in().read(buf)) >= 0) {
          n += r;
        }
        s.out().write(n == (long) mib << 20 ? 1 : 0);
        s.closeWrite();
      });
      server.setStreamHandler(RTT, s -> {
        s.out().write(s.in().read());
        s.closeWrite();
      });
      var addr = server.listenAddresses().get(0).withPeerId(server.peerId());
      int rounds = Integer.getInteger("bench.rounds", 8);
      for (int round = 0; round < rounds; round++) { // the first rounds warm up the JIT (4 were too few for 256 MiB); best round counts
        long cpu0 = processCpuNanos();
        long jit0 = jitCpuNanos();
        double r = javaThroughput(client, addr, mib);
        double cpu = (processCpuNanos() - cpu0) / 1e6 / mib;
        double noJit = cpu - (jitCpuNanos() - jit0) / 1e6 / mib;
        if (JAVA_ONLY) {
          System.out.printf("round %d: %.0f MiB/s, %.2f ms CPU per MiB (%.2f without JIT compiler threads)%n", round,
              r, cpu, noJit);
        }
        java = Math.max(java, r);
        cpuMsPerMiB = Math.min(cpuMsPerMiB, cpu);
        cpuNoJitMsPerMiB = Math.min(cpuNoJitMsPerMiB, noJit);
      }
      if (JAVA_ONLY) {
        System.out.printf("cipher %.0f MiB/s; Java -> Java best %.0f MiB/s (%.0f %%), best %.2f ms CPU per MiB,"
            + " %.2f without JIT%n", cipher, java, 100 * java / cipher, cpuMsPerMiB, cpuNoJitMsPerMiB);
        return;
      }
      setupTime(client, addr, 100);
      setupMillis = setupTime(client, addr, 200);
      newPeerSetupMillis = newPeerSetupTime(addr, 100);
    }
    double js = 0;
    double jsCpuMsPerMiB = Double.MAX_VALUE;
    for (int round = 0; round < 3; round++) { // best of three, as for Java
      double[] r = jsThroughput(Math.min(mib, 256));
      js = Math.max(js, r[0]);
      jsCpuMsPerMiB = Math.min(jsCpuMsPerMiB, r[1]);
    }
    System.out.printf("| measure | value |%n|---|---|%n");
    System.out.printf("| JDK ChaCha20-Poly1305 encrypt, 64 KiB messages | %.0f MiB/s |%n", cipher);
    System.out.printf("| Java -> Java, one stream, %d MiB | %.0f MiB/s (%.0f %% of the cipher) |%n", mib, java,
        100 * java / cipher);
    System.out.printf("| Java -> Java, process CPU time per MiB (sender and receiver together) | %.2f ms |%n",
        cpuMsPerMiB);
    System.out.printf("| Java -> Java, the same without the JIT compiler threads | %.2f ms |%n", cpuNoJitMsPerMiB);
    System.out.printf("| js -> js, one stream, %d MiB | %.0f MiB/s (Java/js = %.1f) |%n", Math.min(mib, 256), js,
        java / js);
    System.out.printf("| js -> js, process CPU time per MiB (sender and receiver together) | %.2f ms (js/Java = %.1f) |%n",
        jsCpuMsPerMiB, jsCpuMsPerMiB / cpuMsPerMiB);
    System.out.printf("| connection set-up, known peer (TCP + Noise + Yamux + first stream round trip), mean of 200 | %.2f ms |%n",
        setupMillis);
    System.out.printf("| connection set-up, new peer each time (fresh client host and key), mean of 100 | %.2f ms |%n",
        newPeerSetupMillis);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * CPU time of the JIT compiler threads (from /proc; 0 where there is none): a short run spends a
   * good part of its CPU compiling, which says nothing about the code measured.
   */
  private static long jitCpuNanos() {
    long ticks = 0;
    try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          if (!java.nio.file.Files.readString(t.resolve("comm")).contains("Compiler")) {
            continue;
          }
          String stat = java.nio.file.Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  static double cipherMiBPerSecond() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    CipherState cs = new CipherState(key);
    ByteBuffer in = ByteBuffer.allocate(65519);
    ByteBuffer out = ByteBuffer.allocate(65535);
    long bytes = 0;
    long start = System.nanoTime();
    long warm = start + TimeUnit.SECONDS.toNanos(1);
    long end = warm + TimeUnit.SECONDS.toNanos(2);
    long measuredFrom = 0;
    while (true) {
      long now = System.nanoTime();
      if (now > end) {
        break;
      }
      if (measuredFrom == 0 && now > warm) {
        measuredFrom = now;
        bytes = 0;
      }
      in.clear();
      out.clear();
      cs.encrypt(in, out);
      bytes += 65519;
    }
    return bytes / 1048576.0 / ((System.nanoTime() - measuredFrom) / 1e9);
  }

  static double javaThroughput(Host client, io.gossipnet.libp2p.multiformats.Multiaddr addr, int mib)
      throws Exception {
    Connection c = client.dial(addr).get(10, TimeUnit.SECONDS);
    Stream s = c.newStream(SINK).get(10, TimeUnit.SECONDS);
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 7);
    long start = System.nanoTime();
    for (int i = 0; i < mib; i++) {
      s.out().write(chunk);
    }
    s.closeWrite();
    int ack = s.in().read();
    long nanos = System.nanoTime() - start;
    s.close();
    if (ack != 1) {
      throw new IllegalStateException("sink saw the wrong byte count");
    }
    return mib / (nanos / 1e9);
  }

  static double setupTime(Host client, io.gossipnet.libp2p.multiformats.Multiaddr addr, int n) throws Exception {
    var plain = addr.withoutPeerId(); // without /p2p/ every dial makes a new connection
    long total = 0;
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      Connection c = client.dial(plain).get(10, TimeUnit.SECONDS);
      Stream s = c.newStream(RTT).get(10, TimeUnit.SECONDS);
      s.out().write(1);
      s.in().read();
      total += System.nanoTime() - start;
      c.close();
      c.closeFuture().get(10, TimeUnit.SECONDS);
    }
    return total / 1e6 / n;
  }

  static double newPeerSetupTime(io.gossipnet.libp2p.multiformats.Multiaddr addr, int n) throws Exception {
    long total = 0;
    for (int i = 0; i < n; i++) {
      try (Host fresh = Host.builder().build().start()) {
        long start = System.nanoTime();
        Connection c = fresh.dial(addr).get(10, TimeUnit.SECONDS);
        Stream s = c.newStream(RTT).get(10, TimeUnit.SECONDS);
        s.out().write(1);
        s.in().read();
        total += System.nanoTime() - start;
      }
    }
    return total / 1e6 / n;
  }

  /** Runs bench.mjs; returns {MiB/s, CPU ms per MiB}. */
  static double[] jsThroughput(int mib) throws Exception {
    Path dir = Path.of(System.getenv().getOrDefault("GOSSIPNET_JS_PEER_DIR", "libp2p/src/test/js"));
    Process p = new ProcessBuilder("node", "bench.mjs", String.valueOf(mib)).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    p.waitFor(60, TimeUnit.SECONDS);
    if (line == null) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {field(line, "mibPerSecond"), field(line, "cpuMsPerMiB")};
  }

  private static double field(String json, String name) {
    int i = json.indexOf("\"" + name + "\":") + name.length() + 3;
    int end = i;
    while (end < json.length() && ",}".indexOf(json.charAt(end)) < 0) {
      end++;
    }
    return Double.parseDouble(json.substring(i, end));
  }
}
