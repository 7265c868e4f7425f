package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that reads at 1 % of the rate it is sent does not slow the relay's other peers, and is
 * disconnected by the seed's stale-write rule.
 *
 * <p>A relay broadcasts {@value #RATE} messages a second of {@value #SIZE} bytes to
 * {@value #HEALTHY} healthy peers over real sockets: {@value #WARM_UP_SECONDS} s to warm up, then for
 * {@value #PHASE_SECONDS} s alone (the baseline), then for {@value #PHASE_SECONDS} s with a ninth peer that reads its socket at 1 %
 * of the byte rate it is offered. The healthy peers' throughput in the second phase, measured as
 * what each of them received of that phase's messages per second of the phase, must be at least
 * 90 % of the baseline. The slow peer's queue fills (its drops are counted per peer) and its oldest
 * message waits longer than {@code maxMessageQueueDuration} (3 s here instead of the seed's 25 s, so
 * the test is short): the write loop closes it with {@code DisconnectStaleWrite} when it takes that
 * message, or, while a write to it is blocked, the slow-writer check closes it with {@code
 * SlowConnection}; both are the seed's rule on the age of what is being written.
 */
class WsSlowPeerTest {
  private static final Tag BULK = Tag.of("SB", 1024, false, false);
  private static final int HEALTHY = 8;
  private static final int RATE = 10_000;
  private static final int SIZE = 200;
  private static final int PHASE_SECONDS = 8;
  private static final int WARM_UP_SECONDS = 4;
  private static final int WARM_UP = 0;
  private static final int BASELINE = 1;
  private static final int WITH_SLOW_PEER = 2;
  private static final Duration STALE_AFTER = Duration.ofSeconds(3);
  private static final String PATH = "/v1/" + WsTestNodes.GENESIS + "/gossip";

  private final WsTestNodes nodes = new WsTestNodes();

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  @Test
  void aPeerReadingAtOnePercentOfTheRateCostsTheOthersLessThanTenPercentAndIsClosedAsStale() throws Exception {
    Tags tags = Tags.defaultsPlus(BULK);
    WsNetwork relay = nodes.start(
        WsTestNodes.listening().tags(tags).maxConnectionsPerIp(HEALTHY + 1)
            .maxMessageQueueDuration(STALE_AFTER).slowWriterTimeout(STALE_AFTER).slowWriterCheckInterval(Duration.ofMillis(500))
            .build());
    PhasedThroughput healthy = new PhasedThroughput(BULK, RATE, SIZE);
    for (int i = 0; i < HEALTHY; i++) {
      WsNetwork peer = nodes.start(NetworkConfig.builder(WsTestNodes.GENESIS)
          .relayPeers(List.of("127.0.0.1:" + relay.localPort())).gossipFanout(1).tags(tags).build());
      healthy.watch(peer);
    }
    WsTestNodes.awaitPeers(relay, HEALTHY);

    healthy.run(relay, WARM_UP, WARM_UP_SECONDS); // JIT and buffers, not measured
    double baseline = healthy.run(relay, BASELINE, PHASE_SECONDS);

    AtomicBoolean closed = new AtomicBoolean();
    AtomicLong slowRead = new AtomicLong();
    try (RawWsClient slow = RawWsClient.upgrade(relay.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS))) {
      assertThat(slow.status).isEqualTo(101);
      WsTestNodes.awaitPeers(relay, HEALTHY + 1);
      Thread.ofPlatform().daemon().start(() -> readSlowly(slow, RATE * (SIZE + 4) / 100, slowRead, closed));
      double withSlowPeer = healthy.run(relay, WITH_SLOW_PEER, PHASE_SECONDS);

      await("the slow peer closed by the stale-write rule").atMost(Duration.ofSeconds(30))
          .until(() -> staleCloses(relay) == 1);
      DisconnectReason reason =
          relay.metrics().disconnectCount(DisconnectReason.STALE_WRITE) == 1 ? DisconnectReason.STALE_WRITE : DisconnectReason.SLOW_CONNECTION;
      double dropped = relay.metrics().peerBroadcastDropped.count();
      System.out.printf(
          "WsSlowPeerTest: %d msg/s of %d B to %d healthy peers; slowest healthy peer %.0f msg/s alone, %.0f msg/s beside a"
              + " peer reading %d B/s (%.1f %%); slow peer read %d B, %.0f messages dropped for it, closed as %s%n",
          RATE, SIZE, HEALTHY, baseline, withSlowPeer, RATE * (SIZE + 4) / 100, 100 * withSlowPeer / baseline,
          slowRead.get(), dropped, reason.wireName());
      assertThat(withSlowPeer).as("the slowest healthy peer's rate beside the slow peer, against %.0f alone", baseline)
          .isGreaterThanOrEqualTo(0.9 * baseline);
      assertThat(dropped).as("messages dropped for the slow peer when its queue was full").isPositive();
      assertThat(relay.connectedPeers()).hasSize(HEALTHY);
    }
    // The relay's kernel may still hold bytes for the closed socket; closing our end ends the reader.
    await().atMost(Duration.ofSeconds(10)).until(closed::get);
  }

  /**
   * Closes by the seed's stale-write rule, in its two forms: the next message to write waited longer
   * than {@code maxMessageQueueDuration} ({@code DisconnectStaleWrite}), or the write in progress
   * holds a message that did ({@code SlowConnection}, the slow-writer check).
   */
  private static double staleCloses(WsNetwork relay) {
    return relay.metrics().disconnectCount(DisconnectReason.STALE_WRITE)
        + relay.metrics().disconnectCount(DisconnectReason.SLOW_CONNECTION);
  }

  /** Reads the socket at {@code bytesPerSecond} until it ends. */
  private static void readSlowly(RawWsClient client, int bytesPerSecond, AtomicLong read, AtomicBoolean closed) {
    byte[] chunk = new byte[Math.max(1, bytesPerSecond / 20)];
    try {
      InputStream in = client.socket.getInputStream();
      long start = System.nanoTime();
      while (true) {
        long allowed = (System.nanoTime() - start) * bytesPerSecond / 1_000_000_000L;
        if (read.get() >= allowed) {
          LockSupport.parkNanos(50_000_000L);
          continue;
        }
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, allowed - read.get()));
        if (n < 0) {
          break;
        }
        read.addAndGet(n);
      }
    } catch (IOException e) {
      // reset by the relay: closed too
    }
    closed.set(true);
  }
}
