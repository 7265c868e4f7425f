package io.gossipnet.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.memory.MemoryNetwork;
import io.gossipnet.core.memory.MemoryTransport;
import io.gossipnet.core.spi.Transport.EstablishedConnection;
import io.gossipnet.core.spi.HttpHosting;
import io.gossipnet.core.spi.Transport;
import io.gossipnet.core.spi.TransportContext;
import io.gossipnet.core.spi.TransportPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dial that is still pending at the next mesh pass (its connect went out while the path was down
 * and waits on TCP's backoff, or leads nowhere) does not hold its address: the pass starts a fresh
 * attempt beside it, up to {@link NetworkEngine#MAX_DIAL_ATTEMPTS_PER_ADDRESS} at once, and the first
 * to get through is the peer.
 */
class RedialTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration MESH_INTERVAL = Duration.ofMillis(100);

  private final MemoryNetwork net = new MemoryNetwork();
  private final List<NetworkEngine> nodes = new ArrayList<>();
  private final List<HoldingTransport> holders = new ArrayList<>();

  @AfterEach
  void stopAll() {
    holders.forEach(HoldingTransport::failHeld);
    nodes.forEach(NetworkEngine::stop);
  }

  private NetworkEngine relay(String name) {
    NetworkEngine n = NetworkEngine.builder(config(name, List.of()), net.transport(name)).build();
    nodes.add(n);
    n.start();
    return n;
  }

  private NetworkEngine dialer(String name, String relay, HoldingTransport transport) {
    NetworkEngine n = NetworkEngine.builder(config(name, List.of(relay)), transport).build();
    nodes.add(n);
    holders.add(transport);
    n.start();
    return n;
  }

  private static NetworkConfig config(String name, List<String> relays) {
    return NetworkConfig.builder("test-genesis")
        .listenAddress("mem://" + name)
        .publicAddress("mem://" + name)
        .relayPeers(relays)
        .gossipFanout(1)
        .meshInterval(MESH_INTERVAL)
        .build();
  }

  @Test
  void aDialStillPendingAtTheNextPassIsJoinedByAFreshAttemptThatConnects() {
    NetworkEngine b = relay("b");
    HoldingTransport t = new HoldingTransport(net.transport("a"), 1);
    NetworkEngine a = dialer("a", "mem://b", t);

    await().atMost(WAIT).until(() -> a.getPeers(PeerOption.CONNECTED_OUT).size() == 1);
    assertThat(t.held).as("the first attempt is still pending").hasSize(1);
    assertThat(t.held.getFirst().isDone()).isFalse();
    assertThat(a.metrics().redials.count()).isGreaterThanOrEqualTo(1);
    assertThat(b.connectedPeers()).hasSize(1);
  }

  @Test
  void noMoreThanThreeAttemptsAreInFlightAtOneAddress() {
    relay("b");
    HoldingTransport t = new HoldingTransport(net.transport("a"), Integer.MAX_VALUE);
    NetworkEngine a = dialer("a", "mem://b", t);

    await().atMost(WAIT).until(() -> t.held.size() == NetworkEngine.MAX_DIAL_ATTEMPTS_PER_ADDRESS);
    await("no fourth attempt during ten more passes")
        .during(MESH_INTERVAL.multipliedBy(10))
        .atMost(WAIT)
        .until(() -> t.held.size() == NetworkEngine.MAX_DIAL_ATTEMPTS_PER_ADDRESS);
    assertThat(a.metrics().redials.count()).isEqualTo(NetworkEngine.MAX_DIAL_ATTEMPTS_PER_ADDRESS - 1);

    t.held.getFirst().completeExceptionally(new IOException("connect timed out"));
    await("a failed attempt frees its place").atMost(WAIT).until(() -> t.held.size() == NetworkEngine.MAX_DIAL_ATTEMPTS_PER_ADDRESS + 1);
  }

  @Test
  void aStaleAttemptThatGetsThroughAfterAFreshOneIsClosedAsItsDuplicate() {
    NetworkEngine b = relay("b");
    HoldingTransport t = new HoldingTransport(net.transport("a"), 1);
    NetworkEngine a = dialer("a", "mem://b", t);
    await().atMost(WAIT).until(() -> a.getPeers(PeerOption.CONNECTED_OUT).size() == 1);

    t.release(0);

    await().atMost(WAIT).until(() -> a.metrics().disconnectCount(DisconnectReason.DUPLICATE_CONNECTION) == 1);
    await("one peer at each end").during(Duration.ofMillis(300)).atMost(WAIT)
        .until(() -> a.connectedPeers().size() == 1 && b.connectedPeers().size() == 1);
  }

  /** A memory transport whose first {@code hold} dials stay pending until the test ends or releases them. */
  private static final class HoldingTransport implements Transport {
    final MemoryTransport inner;
    final int hold;
    final List<CompletableFuture<EstablishedConnection>> held = new CopyOnWriteArrayList<>();

    HoldingTransport(MemoryTransport inner, int hold) {
      this.inner = inner;
      this.hold = hold;
    }

    /** Lets held attempt {@code i} go through now. */
    void release(int i) {
      CompletableFuture<EstablishedConnection> f = held.get(i);
      inner.dial(address).whenComplete((c, e) -> {
        if (e != null) {
          f.completeExceptionally(e);
        } else {
          f.complete(c);
        }
      });
    }

    void failHeld() {
      held.forEach(f -> f.completeExceptionally(new IOException("test over")));
    }

    private volatile String address;

    @Override
    public CompletableFuture<EstablishedConnection> dial(String addr) {
      this.address = addr;
      if (held.size() < hold) {
        CompletableFuture<EstablishedConnection> f = new CompletableFuture<>();
        held.add(f);
        return f;
      }
      return inner.dial(addr);
    }

    @Override
    public String networkType() {
      return inner.networkType();
    }

    @Override
    public TransportPolicy policy() {
      return inner.policy();
    }

    @Override
    public void start(TransportContext context) throws IOException {
      inner.start(context);
    }

    @Override
    public void stop() {
      inner.stop();
    }

    @Override
    public Optional<String> listenAddress() {
      return inner.listenAddress();
    }

    @Override
    public HttpHosting http() {
      return inner.http();
    }
  }
}
