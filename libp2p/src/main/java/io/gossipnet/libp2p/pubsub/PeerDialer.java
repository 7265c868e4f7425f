package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.PeerRecord;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to peers for the router, on virtual threads (never on the router's lock or a Netty
 * event loop). Peers learnt from peer exchange wait in a bounded queue that {@value #WORKERS}
 * workers drain, so at most that many PX dials run at once and a flood of PX entries is dropped
 * (counted {@code px.dropped}) rather than queued; a peer is queued or dialled at most once at a
 * time. A PX entry's signed peer record is verified by the worker, against the peer ID it is listed
 * under, and its addresses are dialled; an entry without a record is dialled only at addresses we
 * already know (direct peer configuration, or remembered from the identify of an earlier pubsub
 * connection). Direct peers are dialled on their own virtual thread each.
 *
 * <p>Counters (through the router): {@code px.dialed}, {@code px.connected}, {@code px.dialFailed},
 * {@code px.invalidRecord}, {@code px.noAddress}, {@code px.alreadyConnected}, {@code px.dropped};
 * {@code direct.dialed}, {@code direct.connected}, {@code direct.dialFailed}.
 */
final class PeerDialer implements AutoCloseable {
  /** Concurrent PX dials (go-libp2p-pubsub's {@code GossipSubConnectors}). */
  static final int WORKERS = 8;
  /** PX dials waiting (go-libp2p-pubsub's {@code GossipSubMaxPendingConnections}). */
  static final int QUEUE = 128;
  /** Addresses tried per peer; a record may list up to 64. */
  static final int MAX_ADDRESSES_TRIED = 4;
  /** Peers whose addresses are remembered from identify. */
  static final int REMEMBERED_PEERS = 1024;
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);

  /** A peer offered by peer exchange, with its signed peer record envelope (null if none was sent). */
  record Request(PeerId peer, byte[] signedRecord) {}

  private final Host host;
  private final Consumer<String> count;
  private final Map<PeerId, List<Multiaddr>> permanent;
  private final BlockingQueue<Request> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Set<PeerId> pending = ConcurrentHashMap.newKeySet();
  private final Set<PeerId> dialingDirect = ConcurrentHashMap.newKeySet();
  /** Addresses from identify, least recently used evicted first; guarded by its monitor. */
  private final LinkedHashMap<PeerId, List<Multiaddr>> remembered = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<PeerId, List<Multiaddr>> eldest) {
      return size() > REMEMBERED_PEERS;
    }
  };
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param host the host to dial from
   * @param count increments a router counter by name
   * @param directPeers the direct peers, whose configured addresses are always known
   */
  PeerDialer(Host host, Consumer<String> count, List<DirectPeer> directPeers) {
    this.host = host;
    this.count = count;
    Map<PeerId, List<Multiaddr>> p = new LinkedHashMap<>();
    directPeers.forEach(d -> p.put(d.id(), d.addresses()));
    this.permanent = Map.copyOf(p);
    for (int i = 0; i < WORKERS; i++) {
      workers.add(Thread.ofVirtual().name("gossipsub-px-dialer-" + i).start(this::work));
    }
  }

  /** Remembers where {@code peer} listens, for PX entries that come without a record. */
  void remember(PeerId peer, List<Multiaddr> addresses) {
    if (addresses.isEmpty()) {
      return;
    }
    synchronized (remembered) {
      remembered.put(peer, List.copyOf(addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES_TRIED))));
    }
  }

  /** The addresses we know for {@code peer} without a record: configured, else remembered. */
  List<Multiaddr> knownAddresses(PeerId peer) {
    List<Multiaddr> a = permanent.get(peer);
    if (a != null) {
      return a;
    }
    synchronized (remembered) {
      return remembered.getOrDefault(peer, List.of());
    }
  }

  /** Queues a PX dial; false (and counted) when the queue is full or the peer is already queued. */
  boolean submit(Request r) {
    if (closed || !pending.add(r.peer())) {
      return false;
    }
    if (!queue.offer(r)) {
      pending.remove(r.peer());
      count.accept("px.dropped");
      return false;
    }
    return true;
  }

  /** Dials a direct peer unless it is connected or being dialled already. */
  void dialDirect(DirectPeer d) {
    if (closed || connected(d.id()) || !dialingDirect.add(d.id())) {
      return;
    }
    Thread.ofVirtual().name("gossipsub-direct-dialer").start(() -> {
      try {
        count.accept("direct.dialed");
        count.accept(dial(d.id(), d.dialAddresses()) ? "direct.connected" : "direct.dialFailed");
      } finally {
        dialingDirect.remove(d.id());
      }
    });
  }

  boolean connected(PeerId peer) {
    return host.connections(peer).stream().anyMatch(Connection::isOpen);
  }

  private void work() {
    while (!closed) {
      Request r;
      try {
        r = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        connect(r);
      } catch (RuntimeException e) {
        LOG.debug("PX dial of {} failed: {}", r.peer(), e.toString());
      } finally {
        pending.remove(r.peer());
      }
    }
  }

  private void connect(Request r) {
    if (connected(r.peer())) {
      count.accept("px.alreadyConnected");
      return;
    }
    List<Multiaddr> addresses;
    if (r.signedRecord() != null) {
      try {
        addresses = PeerRecord.verify(r.signedRecord(), r.peer()).addresses();
      } catch (Libp2pException e) {
        count.accept("px.invalidRecord");
        LOG.debug("dropping a PX entry for {}: {}", r.peer(), e.getMessage());
        return;
      }
      remember(r.peer(), addresses);
    } else {
      addresses = knownAddresses(r.peer());
    }
    if (addresses.isEmpty()) {
      count.accept("px.noAddress");
      return;
    }
    count.accept("px.dialed");
    count.accept(dial(r.peer(), addresses) ? "px.connected" : "px.dialFailed");
  }

  /** Tries up to {@value #MAX_ADDRESSES_TRIED} TCP addresses in turn; true once one connects. */
  private boolean dial(PeerId peer, List<Multiaddr> addresses) {
    int tried = 0;
    for (Multiaddr a : addresses) {
      if (closed || tried >= MAX_ADDRESSES_TRIED) {
        break;
      }
      Multiaddr target;
      try {
        target = a.withoutPeerId().withPeerId(peer);
        target.toTcpSocketAddress(); // only TCP addresses can be dialled
      } catch (IllegalArgumentException e) {
        continue;
      }
      tried++;
      try {
        host.dial(target).get(DIAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("connected to {} at {}", peer, target);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        LOG.debug("cannot dial {} at {}: {}", peer, target, e.toString());
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    workers.forEach(Thread::interrupt);
    queue.clear();
  }
}
