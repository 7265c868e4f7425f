package io.gossipnet.node;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.NetworkEngine;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gossipnet demo}: N nodes in one JVM gossip M messages. Each node relays what it receives
 * (the network's duplicate filter stops the flood); random nodes originate the messages. Prints a
 * progress line while it runs and a summary at the end.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run N nodes in one JVM, gossip M messages through them, and report delivery and latency.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "20", description = "number of nodes (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--fanout", defaultValue = "4", description = "outgoing connections per node (default ${DEFAULT-VALUE})")
  int fanout;

  @Option(names = "--messages", defaultValue = "1000", description = "messages to broadcast (default ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--size", defaultValue = "200", description = "payload size in bytes, at least 16 (default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--transport", defaultValue = "mem", description = "transport: mem, ws, p2p or hybrid (default ${DEFAULT-VALUE})")
  String transport;

  @Option(names = "--latency-ms", defaultValue = "0", description = "one-way link latency for the mem transport")
  long latencyMs;

  @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for delivery (default ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(names = "--json", description = "print the summary as one JSON object on the last line")
  boolean json;

  private static final Tag TAG = Tags.TX;

  @Override
  public Integer call() throws Exception {
    if (nodes < 2 || fanout < 1 || messages < 1 || size < 16) {
      System.err.println("demo: need --nodes >= 2, --fanout >= 1, --messages >= 1, --size >= 16");
      return 2;
    }
    if (!List.of("mem", "ws", "p2p", "hybrid").contains(transport)) {
      System.err.println("demo: unknown transport '" + transport + "' (available: mem, ws, p2p, hybrid)");
      return 2;
    }
    PrintStream err = System.err;
    ConcurrentHashMap<Long, Boolean>[] seen = newSeenSets(nodes);
    LongAdder delivered = new LongAdder();
    LongAdder handlerDuplicates = new LongAdder();
    LongAdder echoes = new LongAdder();
    int[] originOf = new int[messages];
    ConcurrentHistogram latency = new ConcurrentHistogram(3);
    java.util.function.UnaryOperator<io.gossipnet.core.NetworkConfig.Builder> tuning =
        b -> b.enableIncomingMessageFilter(true).incomingFilterBucketSize(Math.max(512, messages));
    try (DemoCluster cluster =
        transport.equals("ws")
            ? DemoCluster.websocket(nodes, fanout, tuning)
            : transport.equals("p2p")
            ? DemoCluster.p2p(nodes, fanout, tuning)
            : transport.equals("hybrid")
            ? DemoCluster.hybrid(nodes, fanout, tuning)
            : DemoCluster.memory(nodes, fanout, io.gossipnet.core.memory.LinkConditions.PERFECT.withLatency(Duration.ofMillis(latencyMs)), tuning)) {
      for (int i = 0; i < nodes; i++) {
        GossipNode node = cluster.node(i);
        ConcurrentHashMap<Long, Boolean> mine = seen[i];
        int index = i;
        node.registerHandlers(
            List.of(
                new TaggedHandler(
                    TAG,
                    msg -> {
                      ByteBuffer b = ByteBuffer.wrap(msg.data());
                      long id = b.getLong();
                      long sentAt = b.getLong();
                      if (mine.putIfAbsent(id, Boolean.TRUE) != null) {
                        if (originOf[(int) id] == index) {
                          echoes.increment();
                        } else {
                          handlerDuplicates.increment();
                        }
                        return OutgoingMessage.ignore();
                      }
                      delivered.increment();
                      latency.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
                      relay(node, msg.data(), msg.sender());
                      return OutgoingMessage.ignore();
                    })));
      }
      long startMesh = System.nanoTime();
      cluster.start();
      cluster.awaitMesh(Duration.ofSeconds(30));
      err.printf(Locale.ROOT, "demo: %d nodes, fanout %d, mesh formed in %d ms%n", nodes, fanout, (System.nanoTime() - startMesh) / 1_000_000);

      long expected = (long) messages * (nodes - 1);
      AtomicLong sent = new AtomicLong();
      long start = System.nanoTime();
      Thread sender =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int m = 0; m < messages; m++) {
                      int origin = ThreadLocalRandom.current().nextInt(nodes);
                      originOf[m] = origin;
                      seen[origin].put((long) m, Boolean.TRUE);
                      ByteBuffer b = ByteBuffer.allocate(size);
                      b.putLong(m).putLong(System.nanoTime());
                      cluster.node(origin).broadcast(TAG, b.array(), true, null);
                      sent.incrementAndGet();
                    }
                  });
      long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
      long lastPrint = 0;
      while (delivered.sum() < expected && System.nanoTime() < deadline) {
        Thread.sleep(20);
        if (System.nanoTime() - lastPrint > 250_000_000L) {
          lastPrint = System.nanoTime();
          err.printf(Locale.ROOT, "\rdemo: sent %d/%d, delivered %d/%d   ", sent.get(), messages, delivered.sum(), expected);
        }
      }
      long elapsed = Math.max(1, System.nanoTime() - start);
      sender.join(Duration.ofSeconds(5));
      err.printf(Locale.ROOT, "\rdemo: sent %d/%d, delivered %d/%d   %n", sent.get(), messages, delivered.sum(), expected);
      double filtered = 0;
      for (int i = 0; i < nodes; i++) {
        for (NetworkEngine e : cluster.engines(i)) {
          filtered += e.metrics().duplicateMessagesReceived.count();
        }
      }
      long got = delivered.sum();
      double seconds = elapsed / 1e9;
      Summary s =
          new Summary(
              nodes, fanout, messages, size, got, expected, (long) filtered, handlerDuplicates.sum(), echoes.sum(),
              latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
              latency.getMaxValue() / 1000.0, got / seconds, seconds);
      print(s);
      return got == expected ? 0 : 1;
    }
  }

  private static void relay(GossipNode node, byte[] data, io.gossipnet.core.Peer from) {
    try {
      node.broadcast(TAG, data, true, from);
    } catch (GossipException e) {
      // The node is stopping.
    }
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentHashMap<Long, Boolean>[] newSeenSets(int n) {
    ConcurrentHashMap<Long, Boolean>[] s = new ConcurrentHashMap[n];
    for (int i = 0; i < n; i++) {
      s[i] = new ConcurrentHashMap<>();
    }
    return s;
  }

  private record Summary(
      int nodes, int fanout, int messages, int size, long delivered, long expected,
      long duplicatesSuppressed, long duplicatesAtHandlers, long echoes, double p50Ms, double p99Ms, double maxMs,
      double msgsPerSecond, double seconds) {}

  /** The human summary on stdout, or on stderr with {@code --json} (stdout is then JSON only). */
  private void print(Summary s) {
    PrintStream out = json ? System.err : System.out;
    out.printf(Locale.ROOT, "nodes %d, fanout %d, messages %d of %d bytes%n", s.nodes, s.fanout, s.messages, s.size);
    out.printf(Locale.ROOT, "delivered %d of %d expected (%.2f %%)%n", s.delivered, s.expected, 100.0 * s.delivered / s.expected);
    out.printf(Locale.ROOT, "duplicates suppressed by the network filter: %d; seen twice by handlers: %d; echoes back to the origin: %d%n", s.duplicatesSuppressed, s.duplicatesAtHandlers, s.echoes);
    out.printf(Locale.ROOT, "propagation latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", s.p50Ms, s.p99Ms, s.maxMs);
    out.printf(Locale.ROOT, "throughput: %.0f deliveries/s over %.2f s%n", s.msgsPerSecond, s.seconds);
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"nodes\":%d,\"fanout\":%d,\"messages\":%d,\"size\":%d,\"delivered\":%d,\"expected\":%d,"
              + "\"duplicates_suppressed\":%d,\"handler_duplicates\":%d,\"echoes\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
              + "\"max_ms\":%.3f,\"msgs_per_s\":%.1f,\"seconds\":%.3f}%n",
          s.nodes, s.fanout, s.messages, s.size, s.delivered, s.expected, s.duplicatesSuppressed,
          s.duplicatesAtHandlers, s.echoes, s.p50Ms, s.p99Ms, s.maxMs, s.msgsPerSecond, s.seconds);
    }
  }
}
