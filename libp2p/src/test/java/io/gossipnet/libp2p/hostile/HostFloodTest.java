package io.gossipnet.libp2p.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.host.HostConfig;
import io.gossipnet.libp2p.internal.mss.Multistream;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.protocol.Ping;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Floods against each limit of a host a remote peer can push against, one test per limit, over
 * real sockets: the excess is refused with its own counter ({@link Host#metric}), a well-behaved
 * peer connected before the flood keeps being served (a ping goes through during and after it),
 * and where the limit is about memory, what the host holds stays under it.
 */
class HostFloodTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SLEEPY = "/sleepy/1.0.0";

  private final List<AutoCloseable> open = new ArrayList<>();
  private final CountDownLatch wake = new CountDownLatch(1);

  @AfterEach
  void closeAll() throws Exception {
    wake.countDown();
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Host host(HostConfig.Builder b) throws Exception {
    Host h = b.listen("/ip4/127.0.0.1/tcp/0").build().start();
    open.add(h);
    // a protocol whose handler never reads: what it is sent stays buffered
    h.setStreamHandler(SLEEPY, s -> wake.await());
    return h;
  }

  /** A well-behaved peer, connected and answered once before any flood starts. */
  private Connection honestPeerOf(Host target) throws Exception {
    Host h = Host.builder().build().start();
    open.add(h);
    Connection c = h.dial(address(target)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> target.connections(h.peerId()).size() == 1);
    assertServed(c);
    return c;
  }

  private static void assertServed(Connection honest) throws Exception {
    assertThat(honest.isOpen()).isTrue();
    assertThat(Ping.ping(honest)).isPositive();
  }

  private static Multiaddr address(Host h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }

  private HostileClient hostile(Host target) throws Exception {
    HostileClient c = new HostileClient(address(target));
    open.add(c);
    return c;
  }

  /** A hostile client through the Noise handshake, with a fresh identity. */
  private HostileClient secured(Host target) throws Exception {
    return secured(target, PrivateKey.generate());
  }

  private HostileClient secured(Host target, PrivateKey identity) throws Exception {
    HostileClient c = hostile(target);
    c.handshake(identity, identity);
    return c;
  }

  @Test
  void aPeerOpeningMoreInboundConnectionsThanTheInboundLimitIsRefusedTheExcessAndTheOtherPeerIsServed() throws Exception {
    Host target = host(Host.builder().connectionLimits(100, 4, 2));
    Connection honest = honestPeerOf(target);
    List<HostileClient> flood = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      flood.add(hostile(target)); // TCP only: each counts as inbound until its set-up deadline
    }
    // The honest connection and three of the flood fill the four inbound places; 17 are closed at once.
    await().atMost(WAIT).until(() -> target.metric("connection.refused.inboundLimit") == 17);
    assertServed(honest);
    long closed = 0;
    for (HostileClient h : flood) {
      h.timeout(200);
      closed += h.closedByRemote() ? 1 : 0;
    }
    assertThat(closed).as("refused at once, the others wait for their set-up deadline").isEqualTo(17);
    assertThat(target.metric("connection.refused.totalLimit")).isZero();
    assertServed(honest);
  }

  @Test
  void aPeerOpeningMoreConnectionsThanTheTotalLimitIsRefusedTheExcessAndTheOtherPeerIsServed() throws Exception {
    Host target = host(Host.builder().connectionLimits(4, 100, 2));
    Connection honest = honestPeerOf(target);
    for (int i = 0; i < 20; i++) {
      hostile(target);
    }
    await().atMost(WAIT).until(() -> target.metric("connection.refused.totalLimit") == 17);
    assertServed(honest);
    assertThat(target.metric("connection.refused.inboundLimit")).isZero();
    assertThat(target.connections()).hasSize(1);
  }

  @Test
  void aPeerOpeningMoreConnectionsThanThePerPeerLimitIsClosedAfterItsHandshakeAndTheOtherPeerIsServed() throws Exception {
    Host target = host(Host.builder().connectionLimits(100, 100, 2));
    Connection honest = honestPeerOf(target);
    PrivateKey attacker = PrivateKey.generate();
    // Every handshake first, without early muxer negotiation, then every muxer negotiation: the
    // limit must count the connections still negotiating their muxer too.
    List<HostileClient> flood = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HostileClient h = hostile(target);
      h.handshake(attacker, attacker, List.of());
      flood.add(h);
    }
    await().atMost(WAIT).until(() -> target.metric("connection.refused.perPeerLimit") == 8);
    assertServed(honest);
    int muxed = 0;
    for (HostileClient h : flood) {
      muxed += h.negotiateYamux() ? 1 : 0;
    }
    assertThat(muxed).isEqualTo(2);
    await().atMost(WAIT).until(() -> target.connections(attacker.peerId()).size() == 2);
    assertThat(target.metric("connection.refused.perPeerLimit")).isEqualTo(8);
    assertServed(honest);
  }

  @Test
  void connectionsThatNeverFinishTheirSetUpAreClosedAtTheDeadlineAndTheOtherPeerIsServed() throws Exception {
    Host target = host(Host.builder().connectionLimits(100, 100, 2).handshakeTimeout(Duration.ofSeconds(1)));
    Connection honest = honestPeerOf(target);
    List<HostileClient> flood = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      flood.add(hostile(target)); // never speaks
    }
    for (int i = 0; i < 10; i++) {
      HostileClient h = hostile(target);
      h.negotiateNoise(); // speaks multistream-select, then stops inside the Noise handshake
      flood.add(h);
    }
    assertServed(honest);
    await().atMost(WAIT).until(() -> target.metric("connection.setupTimeout") == 20);
    for (HostileClient h : flood) {
      assertThat(h.closedByRemote()).isTrue();
    }
    assertThat(target.connections()).hasSize(1);
    assertServed(honest);
  }

  @Test
  void aPeerOpeningMoreStreamsThanTheLimitIsRefusedTheExcessAndTheOtherPeerIsServed() throws Exception {
    int limit = 8;
    Host target = host(Host.builder().maxInboundStreamsPerConnection(limit));
    Connection honest = honestPeerOf(target);
    PrivateKey attackerKey = PrivateKey.generate();
    HostileClient h = secured(target, attackerKey);
    int flood = 5 * limit;
    for (int i = 0; i < flood; i++) {
      h.send(HostileClient.yamux(1, 1, 2 * i + 1, 0, new byte[0])); // SYN, never negotiated
    }
    Set<Integer> reset = new HashSet<>();
    assertThat(h.readFramesUntil(f -> f.reset() && reset.add(f.stream()) && reset.size() == flood - limit)).isTrue();
    assertThat(reset).as("the streams past the limit").allMatch(id -> id > 2 * limit);
    assertThat(target.metric("stream.refused.limit")).isEqualTo(flood - limit);
    Connection attacker = target.connections(attackerKey.peerId()).get(0);
    assertThat(attacker.isOpen()).isTrue();
    // its open streams: the 8 it may have, and the host's own identify stream to it
    assertThat(attacker.streamCount()).isLessThanOrEqualTo(limit + 1);
    assertServed(honest);
  }

  @Test
  void streamsThatNeverFinishNegotiatingAreResetAtTheDeadlineWhateverTheyTrickleAndTheOtherPeerIsServed() throws Exception {
    int limit = 8;
    Host target = host(Host.builder().maxInboundStreamsPerConnection(limit)
        .streamNegotiationTimeout(Duration.ofSeconds(1)));
    Connection honest = honestPeerOf(target);
    HostileClient h = secured(target);
    // Each stream announces a 1000-byte multistream message and then trickles it a byte at a time,
    // each byte well within the one-second read timeout: only a deadline on the whole negotiation
    // ends such a stream.
    for (int i = 0; i < limit; i++) {
      h.send(HostileClient.yamux(1, 1, 2 * i + 1, 0, new byte[0]));
      h.send(HostileClient.yamux(0, 0, 2 * i + 1, 2, new byte[] {(byte) 0xE8, 0x07}));
    }
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      for (int i = 0; i < limit; i++) {
        h.send(HostileClient.yamux(0, 0, 2 * i + 1, 1, new byte[] {'x'}));
      }
      return target.metric("stream.negotiationTimeout") >= limit;
    });
    Set<Integer> reset = new HashSet<>();
    assertThat(h.readFramesUntil(f -> f.reset() && f.stream() % 2 == 1 && reset.add(f.stream()) && reset.size() == limit))
        .isTrue();
    assertServed(honest);
    // the places are free again: a new stream is accepted, not refused
    h.send(HostileClient.yamux(1, 1, 2 * limit + 1, 0, new byte[0]));
    AtomicReference<HostileClient.YamuxFrame> answer = new AtomicReference<>();
    assertThat(h.readFramesUntil(f -> f.stream() == 2 * limit + 1 && answer.compareAndSet(null, f))).isTrue();
    assertThat(answer.get().reset()).isFalse();
    assertThat(answer.get().flags() & 2).as("ACK").isEqualTo(2);
    assertThat(target.metric("stream.refused.limit")).isZero();
  }

  @Test
  void unreadDataPastTheConnectionBudgetResetsTheStreamAndTheOtherPeerIsServed() throws Exception {
    long budget = 256 * 1024;
    Host target = host(Host.builder().maxBufferedBytesPerConnection(budget));
    Connection honest = honestPeerOf(target);
    HostileClient h = secured(target);
    sendUnread(h, 1, 3, 60_000);
    sendUnread(h, 3, 3, 60_000); // the connection's 256 KiB are spent on the second stream
    assertThat(h.readFramesUntil(f -> f.reset() && f.stream() == 3)).isTrue();
    assertThat(target.metric("stream.reset.connectionBudget")).isPositive();
    assertThat(target.bufferedBytes()).isLessThanOrEqualTo(budget);
    assertThat(target.connections()).hasSize(2);
    assertServed(honest);
  }

  @Test
  void unreadDataPastTheHostBudgetResetsTheStreamOfTheConnectionThatGoesOverAndTheOtherPeerIsServed() throws Exception {
    long budget = 400 * 1024;
    Host target = host(Host.builder().maxBufferedBytesPerConnection(budget).maxBufferedBytesTotal(budget));
    Connection honest = honestPeerOf(target);
    HostileClient first = secured(target);
    HostileClient second = secured(target);
    sendUnread(first, 1, 4, 60_000); // 240 kB: within the stream's 256 KiB window and the budget
    await().atMost(WAIT).until(() -> target.bufferedBytes() >= 240_000);
    sendUnread(second, 1, 4, 60_000); // within its connection's budget, past the host's
    assertThat(second.readFramesUntil(f -> f.reset() && f.stream() == 1)).isTrue();
    assertThat(target.metric("stream.reset.hostBudget")).isPositive();
    assertThat(target.metric("stream.reset.connectionBudget")).isZero();
    assertThat(target.bufferedBytes()).isLessThanOrEqualTo(budget);
    assertThat(target.connections()).hasSize(3);
    assertServed(honest);
  }

  /**
   * Tiny data frames, each in a Noise frame filled up with frames the host ignores: counting only
   * their length, the host kept each 64 KiB Noise buffer alive for 11 counted bytes (500 frames:
   * 31 MiB held under a 1 MiB budget).
   */
  @Test
  void tinyFramesInFullNoiseFramesCannotMakeTheHostHoldMoreMemoryThanTheBudgetAndTheOtherPeerIsServed()
      throws Exception {
    long budget = 1 << 20;
    Host target = host(Host.builder().maxBufferedBytesPerConnection(budget).maxBufferedBytesTotal(budget));
    Connection honest = honestPeerOf(target);
    HostileClient h = secured(target);
    sendUnread(h, 1, 0, 0);
    long before = allocatorHeapMemory();
    int frames = 500;
    for (int i = 0; i < frames; i++) {
      ByteBuffer b = ByteBuffer.allocate(65519); // the most plaintext one Noise frame carries
      b.put(HostileClient.yamux(0, 0, 1, 11, new byte[11]));
      while (b.hasRemaining()) {
        b.put(HostileClient.yamux(1, 0, 999, 0, new byte[0])); // a window update for no stream
      }
      h.send(b.array());
    }
    // the host answers a ping after it has decoded every frame sent before it
    h.send(HostileClient.yamux(2, 1, 0, 77, new byte[0]));
    assertThat(h.readFramesUntil(f -> f.type() == 2 && f.length() == 77)).isTrue();
    assertThat(allocatorHeapMemory() - before).as("allocator memory kept by the flood").isLessThan(budget + (8 << 20));
    assertThat(target.bufferedBytes()).as("11 bytes and the overhead of each frame").isEqualTo(frames * (11 + 128));
    assertServed(honest);
  }

  /** The allocator's heap memory in use (it counts what it holds for live buffers). */
  private static long allocatorHeapMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedHeapMemory();
  }

  /** Opens {@code stream}, negotiates the sleepy protocol, then sends {@code chunks} of {@code size} bytes. */
  private static void sendUnread(HostileClient h, int stream, int chunks, int size) throws Exception {
    byte[] select = Multistream.encode(Multistream.HEADER, SLEEPY);
    h.send(HostileClient.yamux(1, 1, stream, 0, new byte[0]));
    h.send(HostileClient.yamux(0, 0, stream, select.length, select));
    byte[] chunk = new byte[size];
    for (int i = 0; i < chunks; i++) {
      h.send(HostileClient.yamux(0, 0, stream, chunk.length, chunk));
    }
  }
}
