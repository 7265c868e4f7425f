package io.gossipnet.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The connection manager alone, with a clock the test moves and connections that only record a close. */
class ConnectionManagerTest {
  private static final Duration GRACE = Duration.ofSeconds(20);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Connection> closed = new ArrayList<>();

  private ConnectionManager manager(int low, int high) {
    return new ConnectionManager(ConnectionManagerConfig.of(low, high, GRACE), now::get, c -> {
      closed.add(c);
      ((FakeConnection) c).open = false;
    });
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static FakeConnection conn(Direction direction, int streams) {
    return new FakeConnection(PrivateKey.generate().peerId(), direction, streams);
  }

  /** {@code n} idle outbound connections of as many peers, one millisecond apart. */
  private List<FakeConnection> connect(ConnectionManager m, int n) {
    List<FakeConnection> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeConnection c = conn(Direction.OUTBOUND, 0);
      m.connected(c);
      out.add(c);
      advance(Duration.ofMillis(1));
    }
    return out;
  }

  @Test
  void aPeerIsProtectedPerTagAndAnEmptyTagAsksForAnyTag() {
    ConnectionManager m = manager(0, 0);
    PeerId p = PrivateKey.generate().peerId();
    assertThat(m.isProtected(p, "algorand-ws-mesh")).isFalse();
    m.protect(p, "algorand-ws-mesh");
    m.protect(p, "other");
    assertThat(m.isProtected(p, "algorand-ws-mesh")).isTrue();
    assertThat(m.isProtected(p, "")).isTrue();
    assertThat(m.unprotect(p, "algorand-ws-mesh")).as("still protected by 'other'").isTrue();
    assertThat(m.isProtected(p, "algorand-ws-mesh")).isFalse();
    assertThat(m.unprotect(p, "other")).isFalse();
    assertThat(m.isProtected(p, "")).isFalse();
    assertThat(m.unprotect(p, "never-set")).isFalse();
  }

  @Test
  void belowTheHighWatermarkThePeriodicCheckLeavesEveryConnection() {
    ConnectionManager m = manager(2, 4);
    connect(m, 3);
    advance(GRACE.plusSeconds(1));
    m.checkAndTrim();
    assertThat(closed).isEmpty();
    assertThat(m.connectionCount()).isEqualTo(3);
  }

  @Test
  void reachingTheHighWatermarkTrimsPeersPastTheGracePeriodDownToTheLowWatermark() {
    // go-algorand's client: high = outbound (12), low = 2 x fanout (8); here 4 and 2
    ConnectionManager m = manager(2, 4);
    List<FakeConnection> cs = connect(m, 4);
    advance(GRACE.plusSeconds(1));
    m.checkAndTrim();
    assertThat(closed).hasSize(2).containsExactly(cs.get(0), cs.get(1)); // ties go to the oldest
    cs.forEach(c -> {
      if (!c.open) {
        m.disconnected(c);
      }
    });
    assertThat(m.connectionCount()).isEqualTo(2);
    assertThat(m.trimmedConnections()).isEqualTo(2);
  }

  @Test
  void peersStillInTheirGracePeriodAreNotTrimmedAndTooFewOlderOnesStopTheTrim() {
    ConnectionManager m = manager(2, 4);
    List<FakeConnection> old = connect(m, 2);
    advance(GRACE.plusSeconds(1));
    connect(m, 3); // young
    m.checkAndTrim();
    assertThat(closed).as("only 2 peers are past the grace period: not more than low").isEmpty();
    advance(GRACE.minusSeconds(5));
    FakeConnection third = conn(Direction.INBOUND, 0);
    m.connected(third);
    advance(Duration.ofSeconds(10)); // the three young ones are now past it, `third` is not
    m.checkAndTrim();
    assertThat(closed).hasSize(3).doesNotContain(third);
    assertThat(closed).containsAll(old);
  }

  @Test
  void protectedPeersAreNeverTrimmed() {
    ConnectionManager m = manager(1, 3);
    List<FakeConnection> cs = connect(m, 4);
    m.protect(cs.get(0).remotePeerId(), "algorand-ws-mesh");
    m.protect(cs.get(1).remotePeerId(), "algorand-ws-mesh");
    advance(GRACE.plusSeconds(1));
    assertThat(m.trim()).isEqualTo(1);
    assertThat(closed).containsExactly(cs.get(2));
  }

  @Test
  void idlePeersGoBeforeBusyOnesAndInboundBeforeOutbound() {
    ConnectionManager m = manager(1, 4);
    FakeConnection busyOutbound = conn(Direction.OUTBOUND, 3);
    FakeConnection busyInbound = conn(Direction.INBOUND, 3);
    FakeConnection idleOutbound = conn(Direction.OUTBOUND, 0);
    FakeConnection idleInbound = conn(Direction.INBOUND, 0);
    for (FakeConnection c : List.of(busyOutbound, busyInbound, idleOutbound, idleInbound)) {
      m.connected(c);
      advance(Duration.ofSeconds(1));
    }
    advance(GRACE);
    m.trim();
    assertThat(closed).containsExactly(idleInbound, idleOutbound, busyInbound);
  }

  @Test
  void everyConnectionOfAChosenPeerIsClosed() {
    ConnectionManager m = manager(1, 2);
    FakeConnection a1 = conn(Direction.INBOUND, 0);
    FakeConnection a2 = new FakeConnection(a1.remotePeerId(), Direction.OUTBOUND, 0);
    FakeConnection b = conn(Direction.OUTBOUND, 1);
    m.connected(a1);
    m.connected(a2);
    m.connected(b);
    assertThat(m.connectionCount()).isEqualTo(3);
    advance(GRACE.plusSeconds(1));
    m.checkAndTrim();
    assertThat(closed).containsExactly(a1, a2);
  }

  @Test
  void withAZeroWatermarkTrimmingIsOffHoweverManyConnectionsThereAre() {
    // go-algorand's IncomingConnectionsLimit = -1: unlimited, high = low = 0
    ConnectionManager m = manager(0, 0);
    connect(m, 50);
    advance(GRACE.plusSeconds(1));
    m.checkAndTrim();
    assertThat(m.trim()).isZero();
    assertThat(closed).isEmpty();
    assertThat(m.config().trimmingEnabled()).isFalse();
  }

  @Test
  void aDisconnectedConnectionIsNoLongerCountedNorTrimmed() {
    ConnectionManager m = manager(1, 2);
    List<FakeConnection> cs = connect(m, 3);
    m.disconnected(cs.get(0));
    m.disconnected(cs.get(0)); // twice: counted once
    assertThat(m.connectionCount()).isEqualTo(2);
    advance(GRACE.plusSeconds(1));
    m.checkAndTrim();
    assertThat(closed).containsExactly(cs.get(1));
  }

  @Test
  void inconsistentWatermarksAreRefusedByName() {
    assertThatThrownBy(() -> ConnectionManagerConfig.of(10, 5, GRACE)).hasMessageContaining("lowWater 10 above highWater 5");
    assertThatThrownBy(() -> ConnectionManagerConfig.of(-1, 5, GRACE)).hasMessageContaining("negative");
    assertThatThrownBy(() -> ConnectionManagerConfig.of(1, 5, Duration.ofSeconds(-1))).hasMessageContaining("gracePeriod");
    assertThatThrownBy(() -> new ConnectionManagerConfig(1, 5, GRACE, Duration.ZERO)).hasMessageContaining("checkInterval");
    assertThat(ConnectionManagerConfig.of(0, 12, GRACE).trimmingEnabled()).isFalse();
  }

  /** A connection that only has what the manager reads, and records whether it was closed. */
  private static final class FakeConnection implements Connection {
    private final PeerId peer;
    private final Direction direction;
    private final int streams;
    volatile boolean open = true;

    FakeConnection(PeerId peer, Direction direction, int streams) {
      this.peer = peer;
      this.direction = direction;
      this.streams = streams;
    }

    @Override
    public PeerId remotePeerId() {
      return peer;
    }

    @Override
    public Multiaddr remoteAddress() {
      return Multiaddr.fromString("/ip4/127.0.0.1/tcp/1");
    }

    @Override
    public Multiaddr localAddress() {
      return Multiaddr.fromString("/ip4/127.0.0.1/tcp/2");
    }

    @Override
    public Direction direction() {
      return direction;
    }

    @Override
    public boolean earlyMuxerNegotiated() {
      return true;
    }

    @Override
    public CompletableFuture<Stream> newStream(List<String> protocols) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<IdentifyInfo> identify() {
      return new CompletableFuture<>();
    }

    @Override
    public int streamCount() {
      return streams;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public CompletableFuture<String> closeFuture() {
      return new CompletableFuture<>();
    }

    @Override
    public void close() {
      open = false;
    }

    @Override
    public String toString() {
      return direction + " " + streams + " streams";
    }
  }
}
