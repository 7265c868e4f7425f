package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandlerQueueTest {

  @Test
  void entriesComeOutInOrder() throws Exception {
    HandlerQueue<Integer> q = new HandlerQueue<>(4);
    for (int i = 0; i < 4; i++) {
      q.put(i);
    }
    assertThat(q.size()).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(q.take()).isEqualTo(i);
    }
    assertThat(q.size()).isZero();
  }

  @Test
  void aPutWaitsForRoom() throws Exception {
    HandlerQueue<Integer> q = new HandlerQueue<>(1);
    q.put(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread producer = Thread.ofVirtual().start(() -> {
      try {
        q.put(2);
        done.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(done.await(100, TimeUnit.MILLISECONDS)).as("bounded: the second put waits").isFalse();
    assertThat(q.take()).isEqualTo(1);
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(q.take()).isEqualTo(2);
    producer.join();
  }

  @Test
  void aSlowConsumerDoesNotHoldUpTheOthers() throws Exception {
    HandlerQueue<Integer> q = new HandlerQueue<>(100);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    List<Thread> consumers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      consumers.add(Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            Integer e = q.take();
            if (e == null) {
              return;
            }
            if (e == 0) {
              release.await(); // the first message blocks its consumer
            }
            handled.incrementAndGet();
          }
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    for (int i = 0; i < 50; i++) {
      q.put(i);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (handled.get() < 49 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(handled.get()).as("the other consumers drained the rest").isEqualTo(49);
    release.countDown();
    q.close();
    for (Thread t : consumers) {
      t.join(5000);
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(handled.get()).isEqualTo(50);
  }

  @Test
  void manyProducersAndConsumersLoseNothing() throws Exception {
    HandlerQueue<Integer> q = new HandlerQueue<>(8);
    int producers = 4;
    int perProducer = 20_000;
    ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    List<Thread> consumers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      consumers.add(Thread.ofVirtual().start(() -> {
        try {
          Integer e;
          while ((e = q.take()) != null) {
            if (seen.put(e, Boolean.TRUE) != null) {
              duplicates.incrementAndGet();
            }
          }
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    List<Thread> ps = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      ps.add(Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < perProducer; i++) {
            q.put(base + i);
          }
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    for (Thread t : ps) {
      t.join();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.size() < producers * perProducer && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(seen).hasSize(producers * perProducer);
    assertThat(duplicates.get()).isZero();
    q.close();
    for (Thread t : consumers) {
      t.join(5000);
      assertThat(t.isAlive()).isFalse();
    }
  }

  @Test
  void anInterruptedWaitingConsumerLeavesAndTheOthersStillWake() throws Exception {
    HandlerQueue<Integer> q = new HandlerQueue<>(4);
    Thread leaving = Thread.ofVirtual().start(() -> {
      try {
        q.take();
      } catch (InterruptedException e) {
        // expected
      }
    });
    Thread.sleep(50);
    leaving.interrupt();
    leaving.join(5000);
    assertThat(leaving.isAlive()).isFalse();
    CountDownLatch got = new CountDownLatch(1);
    Thread.ofVirtual().start(() -> {
      try {
        if (q.take() != null) {
          got.countDown();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread.sleep(50);
    q.put(7);
    assertThat(got.await(5, TimeUnit.SECONDS)).as("the put woke the remaining consumer").isTrue();
  }
}
