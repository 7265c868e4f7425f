package io.gossipnet.libp2p.host;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.crypto.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The host's connection manager, with the semantics of go-libp2p's basic connection manager
 * ({@code p2p/net/connmgr}): peers can be protected under string tags, and when the host holds
 * {@link ConnectionManagerConfig#highWater()} connections or more, a periodic trim closes the
 * connections of unprotected peers that are past the grace period until
 * {@link ConnectionManagerConfig#lowWater()} of theirs remain.
 *
 * <p>Which peers go first, as go sorts them (go also weighs connection-manager tag values, which
 * this host does not have): peers with no open stream before peers with streams, then peers with
 * an inbound connection, then fewer streams; ties go to the peer seen first. A trim closes every
 * connection of a chosen peer. No trim happens when fewer than {@code lowWater} connections belong
 * to trimmable peers (the rest are protected or too young), as in go.
 *
 * <p>Protection is kept per peer, connected or not: go-algorand protects a peer under
 * {@code "algorand-ws-mesh"} before it dials it, so that the connection's {@code connected} event
 * can tell a connection it dialed (protected) from one the DHT or pubsub opened. See
 * {@link Host#connect(io.gossipnet.libp2p.multiformats.Multiaddr, String)}.
 *
 * <p>Thread-safe.
 */
public final class ConnectionManager {
  private final ConnectionManagerConfig config;
  private final LongSupplier nanoClock;
  private final Consumer<Connection> closer;
  private final Map<PeerId, Set<String>> protectedPeers = new HashMap<>();
  private final Map<PeerId, Tracked> peers = new HashMap<>();
  private int connectionCount;
  private long trimmed;

  /** A peer with open connections: when we first saw it and its connections. */
  private static final class Tracked {
    final long firstSeenNanos;
    final Set<Connection> connections = new LinkedHashSet<>();

    Tracked(long firstSeenNanos) {
      this.firstSeenNanos = firstSeenNanos;
    }
  }

  /**
   * A manager that closes trimmed connections with {@code closer}.
   *
   * @param nanoClock the time source ({@code System::nanoTime} in a host)
   */
  ConnectionManager(ConnectionManagerConfig config, LongSupplier nanoClock, Consumer<Connection> closer) {
    this.config = Objects.requireNonNull(config, "config");
    this.nanoClock = nanoClock;
    this.closer = closer;
  }

  /** The watermarks and grace period. */
  public ConnectionManagerConfig config() {
    return config;
  }

  /** Protects {@code peer} from trimming under {@code tag} (several tags may protect one peer). */
  public void protect(PeerId peer, String tag) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(tag, "tag");
    synchronized (this) {
      protectedPeers.computeIfAbsent(peer, p -> new HashSet<>(2)).add(tag);
    }
  }

  /**
   * Removes the protection of {@code peer} under {@code tag}.
   *
   * @return whether {@code peer} is still protected under another tag (go's {@code Unprotect})
   */
  public synchronized boolean unprotect(PeerId peer, String tag) {
    Set<String> tags = protectedPeers.get(peer);
    if (tags == null) {
      return false;
    }
    tags.remove(tag);
    if (tags.isEmpty()) {
      protectedPeers.remove(peer);
      return false;
    }
    return true;
  }

  /** Whether {@code peer} is protected under {@code tag}; under any tag when {@code tag} is empty (as go). */
  public synchronized boolean isProtected(PeerId peer, String tag) {
    Set<String> tags = protectedPeers.get(peer);
    if (tags == null) {
      return false;
    }
    return tag == null || tag.isEmpty() || tags.contains(tag);
  }

  /** Open connections the manager counts. */
  public synchronized int connectionCount() {
    return connectionCount;
  }

  /** Connections closed by trims since the host started. */
  public synchronized long trimmedConnections() {
    return trimmed;
  }

  synchronized void connected(Connection c) {
    Tracked t = peers.computeIfAbsent(c.remotePeerId(), p -> new Tracked(nanoClock.getAsLong()));
    if (t.connections.add(c)) {
      connectionCount++;
    }
  }

  synchronized void disconnected(Connection c) {
    Tracked t = peers.get(c.remotePeerId());
    if (t != null && t.connections.remove(c)) {
      connectionCount--;
      if (t.connections.isEmpty()) {
        peers.remove(c.remotePeerId());
      }
    }
  }

  /** The periodic check: trims when the count has reached the high watermark. */
  void checkAndTrim() {
    boolean due;
    synchronized (this) {
      due = config.trimmingEnabled() && connectionCount >= config.highWater();
    }
    if (due) {
      trim();
    }
  }

  /**
   * Trims now, whatever the count (go's {@code TrimOpenConns}): closes the connections of
   * trimmable peers, in the order described above, until {@code lowWater} of theirs remain.
   * Does nothing when trimming is off.
   *
   * @return the number of connections closed
   */
  public int trim() {
    List<Connection> close = selectForTrim();
    for (Connection c : close) {
      closer.accept(c);
    }
    return close.size();
  }

  private synchronized List<Connection> selectForTrim() {
    if (!config.trimmingEnabled() || connectionCount <= config.lowWater()) {
      return List.of();
    }
    long graceStart = nanoClock.getAsLong() - config.gracePeriod().toNanos();
    record Candidate(Tracked peer, boolean hasStreams, boolean inbound, int streams) {}
    List<Candidate> candidates = new ArrayList<>();
    int candidateConnections = 0;
    for (Map.Entry<PeerId, Tracked> e : peers.entrySet()) {
      Tracked t = e.getValue();
      if (protectedPeers.containsKey(e.getKey()) || t.firstSeenNanos - graceStart > 0) {
        continue; // protected, or still in its grace period
      }
      int streams = 0;
      boolean inbound = false;
      for (Connection c : t.connections) {
        streams += c.streamCount();
        inbound |= c.direction() == Direction.INBOUND;
      }
      candidates.add(new Candidate(t, streams > 0, inbound, streams));
      candidateConnections += t.connections.size();
    }
    if (candidateConnections < config.lowWater()) {
      return List.of(); // too many protected or young peers: trimming now would cut useful ones
    }
    candidates.sort(Comparator.comparing(Candidate::hasStreams)
        .thenComparing(c -> !c.inbound())
        .thenComparingInt(Candidate::streams)
        .thenComparingLong(c -> c.peer().firstSeenNanos));
    int target = candidateConnections - config.lowWater();
    List<Connection> selected = new ArrayList<>();
    for (Candidate c : candidates) {
      if (target <= 0) {
        break;
      }
      selected.addAll(c.peer().connections);
      target -= c.peer().connections.size();
    }
    trimmed += selected.size();
    return selected;
  }

  /** One line: watermarks, counts and protected peers. */
  synchronized String describe() {
    return "connection manager " + (config.trimmingEnabled()
        ? "low " + config.lowWater() + " high " + config.highWater() + " grace " + config.gracePeriod()
        : "off") + ", " + connectionCount + " connections of " + peers.size() + " peers, "
        + protectedPeers.size() + " protected peers, " + trimmed + " trimmed";
  }
}
