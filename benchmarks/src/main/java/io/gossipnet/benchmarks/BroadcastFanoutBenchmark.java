package io.gossipnet.benchmarks;

import io.gossipnet.core.GossipException;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.memory.MemoryConnection;
import io.gossipnet.core.memory.MemoryNetwork;
import io.gossipnet.core.memory.StubPeer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One node broadcasting 200-byte messages to 8 peers over the in-memory transport. An operation is
 * one delivery: one message arriving at the far end of one peer's link. Each invocation broadcasts
 * {@value #BATCH} messages and waits until every peer has received all of them, so nothing is left
 * in flight and nothing may be dropped (checked at tear-down).
 *
 * <p>What it measures is the engine's send path: {@code broadcast} → the broadcaster's queue →
 * preparing the frame once → 8 peer queues → 8 write loops handing batches to the connection. The
 * far ends only count frames, without copying them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class BroadcastFanoutBenchmark {
  static final int PEERS = 8;
  static final int BATCH = 10_000;

  @Param({"200"})
  int size;

  @Param({"AV"})
  String tag;

  private NetworkEngine node;
  private final List<StubPeer> peers = new ArrayList<>();
  private final List<Thread> counters = new ArrayList<>();
  private final AtomicLong[] received = new AtomicLong[PEERS];
  private byte[] payload;
  private Tag theTag;
  private long expectedPerPeer;
  private volatile boolean running;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    MemoryNetwork net = new MemoryNetwork();
    NetworkConfig cfg =
        NetworkConfig.builder("bench").listenAddress("mem://hub").enableOutgoingMessageFiltering(false).build();
    node = new NetworkEngine(cfg, net.transport("hub"), new SimpleMeterRegistry(), null, null);
    node.start();
    running = true;
    for (int i = 0; i < PEERS; i++) {
      StubPeer p = StubPeer.connect(net, "sink-" + i, "mem://hub", false);
      peers.add(p);
      AtomicLong count = new AtomicLong();
      received[i] = count;
      MemoryConnection conn = p.connection();
      counters.add(Thread.ofPlatform().daemon().name("sink-" + i).start(() -> {
        List<byte[]> batch = new ArrayList<>(4096);
        try {
          while (running) {
            int n = conn.drainFrames(batch);
            if (n == 0 && conn.isClosed()) {
              return;
            }
            long tx = 0;
            for (int k = 0; k < n; k++) {
              if (batch.get(k).length == size + 2) {
                tx++;
              }
            }
            count.addAndGet(tx);
            batch.clear();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    while (node.connectedPeers().size() < PEERS) {
      Thread.sleep(1);
    }
    payload = new byte[size];
    theTag = Tags.defaults().lookup(tag);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH * PEERS)
  public void broadcastToEightPeers() {
    for (int i = 0; i < BATCH; i++) {
      while (true) {
        try {
          node.broadcast(theTag, payload, false, null);
          break;
        } catch (GossipException.QueueFull e) {
          Thread.onSpinWait();
        }
      }
    }
    expectedPerPeer += BATCH;
    for (AtomicLong c : received) {
      while (c.get() < expectedPerPeer) {
        LockSupport.parkNanos(20_000);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    running = false;
    double dropped = node.metrics().peerBroadcastDropped.count();
    node.stop();
    for (StubPeer p : peers) {
      p.close();
    }
    if (dropped > 0) {
      throw new IllegalStateException(dropped + " messages were dropped: the figure would be wrong");
    }
  }
}
