package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.Tags;
import io.gossipnet.core.memory.StubPeer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessTest extends EngineTestSupport {

  @Test
  void aStaleWriteDisconnects() throws Exception {
    NetworkEngine node = node("a", c -> c.maxMessageQueueDuration(Duration.ofMillis(300)));
    StubPeer b = stub(node, "b");
    b.stallReading();
    // The link holds 4096 frames; the write loop then blocks, and what stays queued goes stale.
    for (int i = 0; i < 4700; i++) {
      node.broadcast(Tags.TX, new byte[] {1}, true, null);
    }
    // Let the messages still in the peer's queue age past the limit, then let the link drain.
    await().pollDelay(Duration.ofMillis(400)).atMost(WAIT).until(() -> true);
    b.resumeReading();
    await().atMost(WAIT).until(b::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.STALE_WRITE)).isEqualTo(1);
  }

  @Test
  void aWriteStuckForTooLongDisconnectsAsASlowConnection() throws Exception {
    NetworkEngine node = node("a", c -> c
        .slowWriterCheckInterval(Duration.ofMillis(100))
        .slowWriterTimeout(Duration.ofMillis(500)));
    StubPeer b = stub(node, "b");
    b.stallReading();
    for (int i = 0; i < 4200; i++) {
      node.broadcast(Tags.TX, new byte[] {1}, true, null);
    }
    await().atMost(WAIT).until(b::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.SLOW_CONNECTION)).isEqualTo(1);
  }

  @Test
  void anIdlePeerIsDisconnected() throws Exception {
    NetworkEngine node = node("a", c -> c
        .idleCheckInterval(Duration.ofMillis(100))
        .slowWriterCheckInterval(Duration.ofMillis(100))
        .idleTimeout(Duration.ofMillis(500)));
    StubPeer b = stub(node, "b");
    await().atMost(WAIT).until(b::isClosed);
    assertThat(node.metrics().disconnectCount(DisconnectReason.IDLE_CONNECTION)).isEqualTo(1);
  }

  @Test
  void aTalkingPeerIsNotIdle() throws Exception {
    NetworkEngine node = node("a", c -> c
        .idleCheckInterval(Duration.ofMillis(100))
        .slowWriterCheckInterval(Duration.ofMillis(100))
        .idleTimeout(Duration.ofMillis(700)));
    StubPeer b = stub(node, "b");
    long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    while (System.nanoTime() < end) {
      b.send(Tags.TX, new byte[] {1});
      Thread.sleep(100);
    }
    assertThat(b.isClosed()).isFalse();
  }
}
