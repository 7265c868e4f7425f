package io.gossipnet.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.Tags;
import io.gossipnet.core.spi.InboundMessage;
import io.gossipnet.core.spi.MessageTooLargeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTransportTest {

  private static MemoryConnection[] link(LinkConditions c) {
    return MemoryConnection.pair("mem://a", "mem://b", c, c);
  }

  private static byte[] frame(int n) {
    byte[] f = new byte[n + 2];
    f[0] = 'T';
    f[1] = 'X';
    return f;
  }

  @Test
  void framesArriveInOrderWithTheirTagAndPayload() throws Exception {
    MemoryConnection[] ends = link(LinkConditions.PERFECT);
    byte[] f1 = frame(3);
    f1[2] = 7;
    ends[0].write(List.of(f1, frame(1)));
    InboundMessage m = ends[1].read(code -> 100);
    assertThat(m.tagCode()).isEqualTo(Tags.TX.code());
    assertThat(m.payload()).containsExactly(7, 0, 0);
    assertThat(ends[1].read(code -> 100).payload()).hasSize(1);
  }

  @Test
  void latencyDelaysDelivery() throws Exception {
    MemoryConnection[] ends = link(LinkConditions.PERFECT.withLatency(Duration.ofMillis(150)));
    long start = System.nanoTime();
    ends[0].write(List.of(frame(1)));
    ends[1].read(code -> 100);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
  }

  @Test
  void bandwidthSerialisesFrames() throws Exception {
    // 10 frames of 10,002 bytes at 1 MB/s take about 100 ms to cross.
    MemoryConnection[] ends = link(LinkConditions.PERFECT.withBandwidth(1_000_000));
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(frame(10_000));
    }
    long start = System.nanoTime();
    ends[0].write(batch);
    for (int i = 0; i < 10; i++) {
      ends[1].read(code -> 20_000);
    }
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(90).toNanos());
  }

  @Test
  void aLossyLinkDropsAboutTheConfiguredShare() throws Exception {
    MemoryConnection[] ends = link(LinkConditions.PERFECT.withDropProbability(0.5).withBufferMessages(10_000));
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      batch.add(frame(1));
    }
    ends[0].write(batch);
    List<byte[]> got = new ArrayList<>();
    ends[1].drainFrames(got);
    assertThat(got.size()).isBetween(1600, 2400);
  }

  @Test
  void theReaderChecksTheTagLimitBeforeHandingOverThePayload() {
    MemoryConnection[] ends = link(LinkConditions.PERFECT);
    assertThatThrownBy(() -> {
          ends[0].write(List.of(frame(11)));
          ends[1].read(code -> 10);
        })
        .isInstanceOf(MessageTooLargeException.class);
  }

  @Test
  void aStalledEndBlocksTheWriterOnceTheBufferIsFull() throws Exception {
    MemoryConnection[] ends = link(LinkConditions.PERFECT.withBufferMessages(2));
    ends[1].stallIncoming(true);
    Thread writer = Thread.ofVirtual().start(() -> {
      try {
        ends[0].write(List.of(frame(1), frame(1), frame(1)));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.getState() == Thread.State.WAITING);
    ends[1].stallIncoming(false);
    for (int i = 0; i < 3; i++) {
      ends[1].read(code -> 100);
    }
    writer.join(5000);
    assertThat(writer.isAlive()).isFalse();
  }

  @Test
  void closingOneEndEndsBoth() throws Exception {
    MemoryConnection[] ends = link(LinkConditions.PERFECT);
    ends[0].close(DisconnectReason.DISCONNECT_REQUEST, Duration.ZERO);
    assertThat(ends[1].isClosed()).isTrue();
    assertThat(ends[1].read(code -> 100)).as("orderly end of stream").isNull();
    assertThatThrownBy(() -> ends[1].write(List.of(frame(1)))).isInstanceOf(IOException.class);
  }

  @Test
  void cuttingANodeClosesItsLinks() {
    try (MemoryCluster c = MemoryCluster.builder(3).fanout(2).build()) {
      c.start();
      c.awaitMesh(Duration.ofSeconds(10));
      var before = c.node(0).connectedPeers();
      c.network().cut("mem://node-0");
      // Every connection node-0 had is closed (its neighbours' meshes may redial at once).
      await().atMost(Duration.ofSeconds(20)).until(() -> before.stream().allMatch(p -> p.isClosed()));
      // And the mesh connects it again.
      c.node(0).requestConnectOutgoing(true);
      await().atMost(Duration.ofSeconds(20)).until(() -> !c.node(0).connectedPeers().isEmpty());
    }
  }
}
