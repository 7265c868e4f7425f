package io.gossipnet.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline for {@link BroadcastFanoutBenchmark}, run beside it: the same shape with no
 * framework. One thread puts a reference to a fresh 202-byte array into 8 bounded JDK queues; 8
 * consumer threads drain them in batches and count. This is roughly what the JVM can hand from one
 * thread to eight on this machine, so the ratio of the two figures says how much the engine
 * (priority queues, message-of-interest and staleness checks, metrics, the in-memory link) costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class RawFanoutBaseline {
  static final int PEERS = BroadcastFanoutBenchmark.PEERS;
  static final int BATCH = BroadcastFanoutBenchmark.BATCH;

  private final List<ArrayBlockingQueue<byte[]>> queues = new ArrayList<>();
  private final AtomicLong[] received = new AtomicLong[PEERS];
  private final List<Thread> consumers = new ArrayList<>();
  private volatile boolean running;
  private long expected;

  @Setup(Level.Trial)
  public void setUp() {
    running = true;
    for (int i = 0; i < PEERS; i++) {
      ArrayBlockingQueue<byte[]> q = new ArrayBlockingQueue<>(11_000);
      queues.add(q);
      AtomicLong count = new AtomicLong();
      received[i] = count;
      consumers.add(Thread.ofPlatform().daemon().start(() -> {
        List<byte[]> batch = new ArrayList<>(4096);
        while (running) {
          try {
            byte[] first = q.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
              continue;
            }
            batch.add(first);
            q.drainTo(batch, 4095);
            count.addAndGet(batch.size());
            batch.clear();
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH * PEERS)
  public void handOffToEightQueues() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      byte[] frame = new byte[202];
      for (ArrayBlockingQueue<byte[]> q : queues) {
        q.put(frame);
      }
    }
    expected += BATCH;
    for (AtomicLong c : received) {
      while (c.get() < expected) {
        LockSupport.parkNanos(20_000);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    running = false;
  }
}
