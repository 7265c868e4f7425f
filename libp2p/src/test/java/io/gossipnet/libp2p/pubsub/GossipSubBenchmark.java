package io.gossipnet.libp2p.pubsub;

import com.google.gson.JsonElement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A 10-node gossip mesh on loopback (1 KiB messages), all Java (10 hosts in this JVM) and all js
 * (10 Node processes), under StrictSign (the js/go default message ID) and StrictNoSign (SHA-256
 * of the data, as js does without signatures), measured the same way in two phases. Burst: every node publishes its share of
 * {@code N} messages as fast as it can; throughput is N over the time until every node has every
 * message. Paced: the nodes together publish 100 messages per second for 3 s, staggered so they
 * arrive evenly; latency is publish
 * to delivery over every message and receiver (p50, p99). A program, not a timed test: see
 * PUBSUB.md for how to run it.
 */
public final class GossipSubBenchmark {
  private static final String TOPIC = "bench";
  private static final int NODES = 10;
  private static final int SIZE = 1024;
  /** Paced phase: each node publishes every 100 ms, 30 times (100 messages/s in total). */
  private static final int PACED_INTERVAL_MS = 100;
  private static final int PACED_COUNT = 30;

  private GossipSubBenchmark() {}

  /**
   * Runs {@code args[1]} rounds (default 3) of both meshes under both signature policies with
   * {@code args[0]} burst messages (default 2000), alternating Java and js inside each round so the
   * machine's load hits both alike, and prints one Markdown row per run plus the medians. A third
   * argument {@code java-only} skips js.
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    boolean javaOnly = args.length > 2 && args[2].equals("java-only");
    Map<String, List<double[]>> results = new java.util.LinkedHashMap<>();
    System.out.println("| round | mesh (10 nodes, 1 KiB) | policy | burst: delivered to all / s | burst: deliveries"
        + " | paced 100/s: p50 ms | paced: p99 ms | load average |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (int round = 1; round <= rounds; round++) {
      for (boolean sign : new boolean[] {true, false}) {
        String policy = sign ? "StrictSign" : "StrictNoSign";
        row(results, round, "Java", policy, runJava(n, sign));
        if (!javaOnly) {
          row(results, round, "js", policy, runJs(n, sign));
        }
      }
    }
    System.out.println();
    System.out.println("| medians over " + rounds + " rounds | policy | burst / s | p50 ms | p99 ms |");
    System.out.println("|---|---|---|---|---|");
    results.forEach((key, runs) -> System.out.printf("| %s | %s | %.0f | %.2f | %.2f |%n", key.split("/")[0],
        key.split("/")[1], median(runs, 0), median(runs, 2), median(runs, 3)));
  }

  private static void row(Map<String, List<double[]>> results, int round, String mesh, String policy, double[] r) {
    results.computeIfAbsent(mesh + "/" + policy, k -> new ArrayList<>()).add(r);
    System.out.printf("| %d | %s | %s | %.0f | %.1f %% | %.2f | %.2f | %.1f |%n", round, mesh, policy, r[0], r[1], r[2],
        r[3], java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static double median(List<double[]> runs, int column) {
    // a phase that recorded nothing (NaN) is left out of the median, not sorted to an end
    double[] v = runs.stream().mapToDouble(r -> r[column]).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static long nowMicros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  private static byte[] payload(int i) {
    byte[] data = new byte[SIZE];
    Arrays.fill(data, (byte) 'a');
    byte[] head = ("bench:" + nowMicros() + ":" + i + ":").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, data, 0, head.length);
    return data;
  }

  private static long sentMicros(byte[] data) {
    String s = new String(data, 0, 40, StandardCharsets.US_ASCII);
    return Long.parseLong(s.substring(6, s.indexOf(':', 6)));
  }

  /** A ring with chords: node i dials i+1 and i+3, so every node has about 4 peers. */
  private static int[][] links() {
    List<int[]> l = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      l.add(new int[] {i, (i + 1) % NODES});
      l.add(new int[] {i, (i + 3) % NODES});
    }
    return l.toArray(new int[0][]);
  }

  private static double[] runJava(int n, boolean sign) throws Exception {
    List<JavaNode> nodes = new ArrayList<>();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger delivered = new AtomicInteger();
    try {
      for (int i = 0; i < NODES; i++) {
        // queues sized for a burst: the default validation queue (256) would drop most of it
        JavaNode node = new JavaNode(GossipSubConfig.builder().outboundQueueSize(16384).validation(4, 16384)
            .signaturePolicy(sign ? SignaturePolicy.STRICT_SIGN : SignaturePolicy.STRICT_NO_SIGN)
            .messageIdFunction(sign ? MessageIdFunction.FROM_SEQNO : MessageIdFunction.SHA256_DATA).build());
        node.gs.subscribe(TOPIC, m -> {
          latencies.add(nowMicros() - sentMicros(m.data()));
          delivered.incrementAndGet();
        });
        nodes.add(node);
      }
      for (int[] l : links()) {
        nodes.get(l[0]).host.dial(nodes.get(l[1]).address()).get(10, TimeUnit.SECONDS);
      }
      waitUntil(() -> nodes.stream().allMatch(x -> x.gs.meshPeers(TOPIC).size() >= 3), 30_000);

      int each = n / NODES;
      long start = System.nanoTime();
      List<Thread> publishers = new ArrayList<>();
      for (JavaNode node : nodes) {
        publishers.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < each; i++) {
            node.gs.publish(TOPIC, payload(i));
          }
        }));
      }
      for (Thread t : publishers) {
        t.join();
      }
      int expected = each * NODES * (NODES - 1);
      waitUntil(() -> delivered.get() >= expected, 120_000);
      double secs = (System.nanoTime() - start) / 1e9;
      double burst = each * NODES / secs;
      double share = 100.0 * delivered.get() / expected;

      Thread.sleep(2000);
      latencies.clear();
      delivered.set(0);
      publishers.clear();
      for (int k = 0; k < nodes.size(); k++) {
        JavaNode node = nodes.get(k);
        long offset = staggerMillis(k);
        publishers.add(Thread.ofPlatform().start(() -> {
          sleep(offset);
          for (int i = 0; i < PACED_COUNT; i++) {
            sleep(PACED_INTERVAL_MS);
            node.gs.publish(TOPIC, payload(i));
          }
        }));
      }
      for (Thread t : publishers) {
        t.join();
      }
      waitUntil(() -> delivered.get() >= PACED_COUNT * NODES * (NODES - 1), 30_000);
      Map<String, Long> totals = new TreeMap<>();
      nodes.forEach(x -> x.gs.metrics().forEach((k, v) -> totals.merge(k, v, Long::sum)));
      if (Boolean.getBoolean("bench.counters")) {
        System.out.println("Java counters, all nodes: " + totals);
      }
      long[] lat = latencies.stream().mapToLong(Long::longValue).toArray();
      return new double[] {burst, share, percentile(lat, 0.5), percentile(lat, 0.99)};
    } finally {
      nodes.forEach(JavaNode::close);
    }
  }

  private static double[] runJs(int n, boolean sign) throws Exception {
    List<JsPubsubPeer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < NODES; i++) {
        JsPubsubPeer p = JsPubsubPeer.start(Map.of("sign", sign));
        p.subscribe(TOPIC);
        nodes.add(p);
      }
      for (int[] l : links()) {
        nodes.get(l[0]).dial(nodes.get(l[1]).address());
      }
      waitUntil(() -> {
        for (JsPubsubPeer p : nodes) {
          try {
            if (p.mesh(TOPIC).size() < 3) {
              return false;
            }
          } catch (Exception e) {
            return false;
          }
        }
        return true;
      }, 30_000);
      int each = n / NODES;
      long start = System.nanoTime();
      publishAll(nodes, each, 0);
      int expected = each * (NODES - 1);
      long[][] lat = collect(nodes, expected, 120_000);
      double secs = (System.nanoTime() - start) / 1e9;
      int got = Arrays.stream(lat).mapToInt(a -> Math.min(a.length, expected)).sum();
      double burst = each * NODES / secs;
      double share = 100.0 * got / (expected * NODES);

      Thread.sleep(2000);
      for (JsPubsubPeer p : nodes) {
        p.call("benchStats", Map.of("reset", true), 60);
      }
      publishAll(nodes, PACED_COUNT, PACED_INTERVAL_MS);
      long[] all = Arrays.stream(collect(nodes, PACED_COUNT * (NODES - 1), 30_000)).flatMapToLong(Arrays::stream)
          .toArray();
      return new double[] {burst, share, percentile(all, 0.5), percentile(all, 0.99)};
    } finally {
      nodes.forEach(JsPubsubPeer::close);
    }
  }

  /**
   * Paced phase: node {@code k} starts {@code k * interval / nodes} later, so the 100 messages per
   * second arrive evenly instead of as ten simultaneous publishes every 100 ms.
   */
  private static long staggerMillis(int k) {
    return (long) k * PACED_INTERVAL_MS / NODES;
  }

  private static void publishAll(List<JsPubsubPeer> nodes, int count, int intervalMs) throws Exception {
    // all nodes publish at once (the common pool may have a single thread on a small machine)
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      for (int k = 0; k < nodes.size(); k++) {
        JsPubsubPeer p = nodes.get(k);
        long delay = intervalMs > 0 ? staggerMillis(k) : 0;
        runs.add(CompletableFuture.runAsync(() -> {
          try {
            p.call("benchPublish", Map.of("topic", TOPIC, "count", count, "size", SIZE, "intervalMs", intervalMs,
                "delayMs", delay), 300);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, pool));
      }
      CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get(300, TimeUnit.SECONDS);
    }
  }

  /** Polls every js node's latencies until each has {@code expected} (or the timeout). */
  private static long[][] collect(List<JsPubsubPeer> nodes, int expected, long timeoutMillis) throws Exception {
    long[][] lat = new long[nodes.size()][];
    waitUntil(() -> {
      for (int i = 0; i < nodes.size(); i++) {
        try {
          lat[i] = nodes.get(i).call("benchStats", Map.of(), 60).getAsJsonArray("latencies").asList().stream()
              .mapToLong(JsonElement::getAsLong).toArray();
        } catch (Exception e) {
          return false;
        }
        if (lat[i].length < expected) {
          return false;
        }
      }
      return true;
    }, timeoutMillis);
    for (int i = 0; i < lat.length; i++) {
      if (lat[i] == null) {
        lat[i] = new long[0];
      }
    }
    return lat;
  }

  private static double percentile(long[] micros, double q) {
    if (micros.length == 0) {
      return Double.NaN;
    }
    long[] s = micros.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.round((s.length - 1) * q))] / 1000.0;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, long timeoutMillis)
      throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < end) {
      Thread.sleep(20);
    }
  }
}
