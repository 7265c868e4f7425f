package io.gossipnet.examples.kv;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.Service;
import com.google.inject.Provider;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.HttpPeer;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.http.PeerHttpClient;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.NodeInitializer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy: gossip delivers a write to the nodes connected when it is made, so a node that was
 * down or partitioned off misses it; this pulls it later.
 *
 * <p>Every {@code interval} for each connected peer, and within {@link #TICK} of a peer
 * connecting (or reconnecting, after a partition heals), the node asks the peer for its snapshot's
 * count and digest ({@code GET /v1/{genesisID}/kv?limit=0}) over {@link GossipNode#httpClient}, the
 * node's HTTP client to that peer over whatever transport it is on (plain HTTP for WebSocket peers,
 * libp2p HTTP for P2P ones). When they differ from its own it reads the peer's snapshot page by page
 * and merges every entry ({@link KvStore#merge}); it sends nothing: each node pulls what it is
 * missing. What a peer sends is bounded: pages of at most {@link KvJson#MAX_ACCEPTED_PAGE_BYTES},
 * keys in increasing order, and at most {@code maxKeys} plus one page of entries in one pull; a
 * peer that breaks a bound ends its pull (logged).
 *
 * <p>Each pull runs on a virtual thread of its own, at most one per peer at a time, so a peer
 * that stopped answering (cut off, its connection not yet timed out) holds up no other. It is a
 * {@link NodeInitializer}: {@link GossipNodeService} starts it with the node, and it stops (its
 * threads interrupted) when the service stops or fails.
 */
public final class AntiEntropy implements NodeInitializer {
  /** How often the peer list is checked for new peers and pulls that are due. */
  static final Duration TICK = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);
  private final KvStore store;
  private final Duration interval;
  private final Provider<GossipNodeService> service;
  /** When each connected peer is due for its next pull, by address; only the ticking thread uses it. */
  private final Map<String, Long> due = new HashMap<>();
  private final Set<String> pulling = ConcurrentHashMap.newKeySet();

  /**
   * Anti-entropy for {@code store} every {@code interval}, stopping with {@code service}.
   *
   * @param store the store to fill
   * @param interval the time between two pulls from one peer
   * @param service the service that runs the node (a provider: the service depends on this)
   */
  public AntiEntropy(KvStore store, Duration interval, Provider<GossipNodeService> service) {
    this.store = store;
    this.interval = interval;
    this.service = service;
  }

  @Override
  public void initialize(GossipNode node) {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, "kv-anti-entropy-" + store.nodeId());
      t.setDaemon(true);
      return t;
    });
    ExecutorService pulls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kv-pull-", 0).factory());
    service.get().addListener(new Service.Listener() {
      @Override
      public void stopping(Service.State from) {
        ticker.shutdownNow();
        pulls.shutdownNow();
      }

      @Override
      public void failed(Service.State from, Throwable failure) {
        ticker.shutdownNow();
        pulls.shutdownNow();
      }
    }, MoreExecutors.directExecutor());
    ticker.scheduleWithFixedDelay(() -> tick(node, pulls), TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick(GossipNode node, ExecutorService pulls) {
    try {
      Set<String> peers = peerAddresses(node);
      // A peer that went away is new again when it comes back: pulled from at once.
      due.keySet().retainAll(peers);
      long now = System.nanoTime();
      for (String address : peers) {
        Long at = due.get(address);
        if (at != null && now - at < 0 || !pulling.add(address)) {
          continue;
        }
        due.put(address, now + interval.toNanos());
        try {
          pulls.execute(() -> pullLogged(node, address));
        } catch (RejectedExecutionException e) {
          pulling.remove(address);
          return; // stopping
        }
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep the loop alive.
      log.warn("anti-entropy tick failed", e);
    }
  }

  private static Set<String> peerAddresses(GossipNode node) {
    Set<String> out = new LinkedHashSet<>();
    for (Peer p : node.getPeers(PeerOption.CONNECTED_OUT, PeerOption.CONNECTED_IN)) {
      if (p instanceof HttpPeer h && !h.address().isEmpty()) {
        out.add(h.address());
      }
    }
    return out;
  }

  private void pullLogged(GossipNode node, String address) {
    try {
      int merged = pull(node, address);
      log.debug("anti-entropy with {}: {}; {} keys, digest {}", address,
          merged < 0 ? "same entries" : merged + " entries merged", store.size(), String.format("%016x", store.digest()));
    } catch (IOException | RuntimeException e) {
      // An incoming peer that gave no public address cannot be reached; a peer may be going away.
      log.debug("anti-entropy with {}: {}", address, e.toString());
    } finally {
      pulling.remove(address);
    }
  }

  /**
   * Pulls from one peer: -1 if its store has the same count and digest as ours, else the number
   * of entries merged (0 if we had them all: the peer is behind us).
   */
  int pull(GossipNode node, String address) throws IOException {
    PeerHttpClient client = node.httpClient(address);
    String path = KvHttp.PATH.replace("{genesisID}", node.genesisId());
    KvJson.Page probe = get(client, path, "limit=0");
    if (probe.count() == store.size() && probe.digest() == store.digest()) {
      return -1;
    }
    int merged = 0;
    long received = 0;
    String after = null;
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new java.io.InterruptedIOException("anti-entropy stopped");
      }
      String query = "limit=" + KvJson.MAX_PAGE_ENTRIES
          + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      KvJson.Page page = get(client, path, query);
      for (KvWrite w : page.entries()) {
        if (after != null && w.key().compareTo(after) <= 0) {
          throw new IOException("snapshot of " + address + " is not in key order at " + w.key());
        }
        after = w.key();
        if (store.merge(w.key(), w.value(), w.version()) == KvStore.Outcome.APPLIED) {
          merged++;
        }
      }
      received += page.entries().size();
      if (page.next() == null) {
        break;
      }
      if (page.entries().isEmpty() || !page.next().equals(after)) {
        throw new IOException("snapshot of " + address + " gives a next key that is not its page's last");
      }
      if (received > (long) store.maxKeys() + KvJson.MAX_PAGE_ENTRIES) {
        throw new IOException("snapshot of " + address + " is longer than " + store.maxKeys() + " keys");
      }
    }
    if (merged > 0) {
      log.info("caught up on {} write(s) from {}", merged, address);
    }
    return merged;
  }

  private static KvJson.Page get(PeerHttpClient client, String path, String query) throws IOException {
    HttpResponse r = client.send(new HttpRequest("GET", path, query, Map.of(), Map.of(), new byte[0]));
    if (r.status() != 200) {
      throw new IOException("GET " + path + "?" + query + ": " + r.status());
    }
    try {
      return KvJson.parse(r.body());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
