package io.gossipnet.libp2p.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.protocol.Ping;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers against a host: each one ends its own stream or connection within a bounded time,
 * and the host keeps serving a well-behaved peer afterwards.
 */
class HostilePeerTest {
  private static final int STREAM_LIMIT = 8;
  private static Host host;
  private static Host good;

  @BeforeAll
  static void start() throws Exception {
    host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").handshakeTimeout(Duration.ofSeconds(2))
        .maxInboundStreamsPerConnection(STREAM_LIMIT).build().start();
    good = Host.builder().build().start();
  }

  @AfterAll
  static void stop() {
    host.close();
    good.close();
  }

  @AfterEach
  void hostStillServesAWellBehavedPeer() throws Exception {
    Connection c = good.dial(address()).get(10, TimeUnit.SECONDS);
    assertThat(Ping.ping(c)).isPositive();
  }

  private static Multiaddr address() {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  private static HostileClient client() throws Exception {
    return new HostileClient(address());
  }

  @Test
  void oversizedMultistreamLineClosesTheConnection() throws Exception {
    try (HostileClient h = client()) {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      Varint.write(b, 5000);
      b.writeBytes(new byte[5000]);
      h.writeRaw(b.toByteArray());
      assertThat(h.closedByRemote()).isTrue();
    }
  }

  @Test
  void unterminatedMultistreamLineClosesTheConnection() throws Exception {
    try (HostileClient h = client()) {
      h.writeRaw(new byte[] {5, 'a', 'b', 'c', 'd', 'e'});
      assertThat(h.closedByRemote()).isTrue();
    }
  }

  @Test
  void garbageNoiseMessageClosesTheConnection() throws Exception {
    try (HostileClient h = client()) {
      h.negotiateNoise();
      byte[] e = new byte[32];
      new Random(1).nextBytes(e);
      h.writeNoiseFrame(e);
      h.readNoiseFrame();
      byte[] garbage = new byte[200];
      new Random(2).nextBytes(garbage);
      h.writeNoiseFrame(garbage);
      assertThat(h.closedByRemote()).isTrue();
    }
  }

  @Test
  void truncatedNoiseMessageIsClosedByTheHandshakeTimeout() throws Exception {
    try (HostileClient h = client()) {
      h.negotiateNoise();
      h.writeRaw(new byte[] {0, (byte) 200, 1, 2, 3});
      long start = System.nanoTime();
      assertThat(h.closedByRemote()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void halfOpenConnectionThatNeverSpeaksIsClosedByTheHandshakeTimeout() throws Exception {
    try (HostileClient h = client()) {
      long start = System.nanoTime();
      assertThat(h.closedByRemote()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
  }

  @Test
  void wrongIdentitySignatureClosesTheConnection() throws Exception {
    try (HostileClient h = client()) {
      h.handshake(PrivateKey.generate(), PrivateKey.generate());
      assertThat(h.closedByRemote()).isTrue();
    }
  }

  @Test
  void dialingAPeerWhoseIdDiffersFromTheDialedOneFails() {
    Multiaddr wrong = host.listenAddresses().get(0).withPeerId(PrivateKey.generate().peerId());
    assertThatThrownBy(() -> good.dial(wrong).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("does not match the dialed");
    assertThat(good.metric("connection.refused.peerIdMismatch")).as("the refusal, counted").isEqualTo(1);
  }

  @Test
  void yamuxFrameWithBadVersionClosesTheConnection() throws Exception {
    yamuxFrameClosesTheConnection(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});
  }

  @Test
  void yamuxFrameWithBadTypeClosesTheConnection() throws Exception {
    yamuxFrameClosesTheConnection(HostileClient.yamux(7, 0, 1, 0, new byte[0]));
  }

  @Test
  void yamuxFrameWithBadFlagsClosesTheConnection() throws Exception {
    yamuxFrameClosesTheConnection(HostileClient.yamux(1, 0x40, 1, 0, new byte[0]));
  }

  @Test
  void yamuxDataBeyondTheWindowClosesTheConnection() throws Exception {
    long before = host.metric("stream.windowExceeded");
    yamuxFrameClosesTheConnection(HostileClient.yamux(0, 1, 1, 300 * 1024, new byte[16]));
    assertThat(host.metric("stream.windowExceeded")).isEqualTo(before + 1);
  }

  @Test
  void yamuxSynWithTheListenersParityClosesTheConnection() throws Exception {
    yamuxFrameClosesTheConnection(HostileClient.yamux(1, 1, 2, 0, new byte[0]));
  }

  private void yamuxFrameClosesTheConnection(byte[] frame) throws Exception {
    try (HostileClient h = client()) {
      PrivateKey me = PrivateKey.generate();
      h.handshake(me, me);
      h.send(frame);
      assertThat(h.closedByRemote()).isTrue();
    }
  }

  @Test
  void unreadDataPastTheConnectionBudgetResetsThatStreamWhileTheConnectionStays() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (Host small = sleepyHost(Host.builder().maxBufferedBytesPerConnection(256 * 1024), release);
        HostileClient h = new HostileClient(small.listenAddresses().get(0))) {
      PrivateKey me = PrivateKey.generate();
      h.handshake(me, me);
      sendUnread(h, 1);
      sendUnread(h, 3);
      assertThat(readUntilReset(h, 3)).isTrue();
      assertThat(small.connections(me.peerId())).hasSize(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void unreadDataPastTheHostBudgetResetsTheStreamOfTheConnectionThatExceedsIt() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (Host small = sleepyHost(Host.builder().maxBufferedBytesPerConnection(300 * 1024)
            .maxBufferedBytesTotal(300 * 1024), release);
        HostileClient first = new HostileClient(small.listenAddresses().get(0));
        HostileClient second = new HostileClient(small.listenAddresses().get(0))) {
      PrivateKey a = PrivateKey.generate();
      PrivateKey b = PrivateKey.generate();
      first.handshake(a, a);
      second.handshake(b, b);
      sendUnread(first, 1);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> small.bufferedBytes() >= 180_000);
      sendUnread(second, 1);
      assertThat(readUntilReset(second, 1)).isTrue();
      assertThat(small.connections(a.peerId())).hasSize(1);
      assertThat(small.connections(b.peerId())).hasSize(1);
    } finally {
      release.countDown();
    }
  }

  /** A host with a protocol whose handler never reads until {@code release}. */
  private static Host sleepyHost(io.gossipnet.libp2p.host.HostConfig.Builder b, java.util.concurrent.CountDownLatch release)
      throws Exception {
    Host h = b.listen("/ip4/127.0.0.1/tcp/0").build().start();
    h.setStreamHandler("/sleepy/1.0.0", s -> release.await());
    return h;
  }

  /** Opens {@code stream}, negotiates the sleepy protocol and sends 180 KB nobody reads. */
  private static void sendUnread(HostileClient h, int stream) throws Exception {
    byte[] chunk = new byte[60_000];
    byte[] select = io.gossipnet.libp2p.internal.mss.Multistream.encode(
        io.gossipnet.libp2p.internal.mss.Multistream.HEADER, "/sleepy/1.0.0");
    h.send(HostileClient.yamux(1, 1, stream, 0, new byte[0]));
    h.send(HostileClient.yamux(0, 0, stream, select.length, select));
    for (int i = 0; i < 3; i++) {
      h.send(HostileClient.yamux(0, 0, stream, chunk.length, chunk));
    }
  }

  /** Reads frames from the host until it resets {@code stream}. */
  private static boolean readUntilReset(HostileClient h, int stream) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    while (System.nanoTime() < deadline) {
      pending.writeBytes(h.receive());
      ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
      while (b.remaining() >= 12) {
        int start = b.position();
        b.get();
        int type = b.get();
        int flags = b.getShort();
        int id = b.getInt();
        int length = b.getInt();
        int dataLen = type == 0 ? length : 0;
        if (b.remaining() < dataLen) {
          b.position(start);
          break;
        }
        b.position(b.position() + dataLen);
        if ((flags & 8) != 0 && id == stream) {
          return true;
        }
      }
      byte[] rest = new byte[b.remaining()];
      b.get(rest);
      pending.reset();
      pending.writeBytes(rest);
    }
    return false;
  }

  @Test
  void peerThatStopsAnsweringKeepAlivePingsIsDisconnected() throws Exception {
    try (Host pinging = Host.builder().listen("/ip4/127.0.0.1/tcp/0").keepAliveInterval(Duration.ofMillis(300))
        .build().start();
        HostileClient h = new HostileClient(pinging.listenAddresses().get(0))) {
      PrivateKey me = PrivateKey.generate();
      h.handshake(me, me);
      long start = System.nanoTime();
      assertThat(h.closedByRemote()).isTrue(); // reads and ignores the pings
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(pinging.metric("connection.keepAliveTimeout")).isEqualTo(1);
    }
  }

  @Test
  void streamFloodPastTheLimitIsResetWhileTheConnectionStays() throws Exception {
    try (HostileClient h = client()) {
      PrivateKey me = PrivateKey.generate();
      h.handshake(me, me);
      int flood = STREAM_LIMIT * 4;
      for (int i = 0; i < flood; i++) {
        h.send(HostileClient.yamux(1, 1, 2 * i + 1, 0, new byte[0]));
      }
      int resets = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      h.timeout(10_000);
      java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
      while (resets < flood - STREAM_LIMIT && System.nanoTime() < deadline) {
        pending.writeBytes(h.receive());
        ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
        while (b.remaining() >= 12) {
          int start = b.position();
          b.get();
          int type = b.get();
          int flags = b.getShort();
          b.getInt();
          int length = b.getInt();
          int dataLen = type == 0 ? length : 0;
          if (b.remaining() < dataLen) {
            b.position(start);
            break;
          }
          b.position(b.position() + dataLen);
          if ((flags & 8) != 0) {
            resets++;
          }
        }
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        pending.reset();
        pending.writeBytes(rest);
      }
      assertThat(resets).isGreaterThanOrEqualTo(flood - STREAM_LIMIT);
      assertThat(host.connections(me.peerId())).hasSize(1);
    }
  }
}
