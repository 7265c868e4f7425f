package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.crypto.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * One iterative lookup (FIND_NODE or GET_PROVIDERS) over one or more disjoint paths, after
 * S/Kademlia.
 *
 * <p>The starting peers (the K closest from the routing table) are sorted by distance and dealt
 * round-robin to the {@code d} paths, so each path starts with a comparable share. A peer belongs
 * to the path that first had it (dealt or learned from a reply); a path asks only its own peers,
 * and closer peers that another path already owns are dropped from the reply it got (they are
 * neither asked nor counted by that path), so a path led astray by colluding peers cannot pull the
 * other paths onto them. Each path runs plain Kademlia: up to ALPHA requests in flight (its own
 * bound), asking the closest of its not yet asked peers, and it ends when its K closest known
 * peers have answered or failed. The lookup ends when every path has ended, when enough providers
 * were found, or at the query deadline.
 *
 * <p>The result is the K closest peers that answered (or were never asked) over all paths, and
 * the providers of all paths. With {@code d >= 2} a GET_PROVIDERS lookup stops early only when
 * enough providers were found <em>and</em> every path has either found a provider or ended, so a
 * fast path that returns fake providers cannot cut the others short; the providers are listed
 * round-robin by path.
 *
 * <p>One lookup runs on the calling thread; requests run on {@code executor}. Counters:
 * {@code query.paths.<d>} per lookup, {@code query.path.<i>.queried} and
 * {@code query.path.<i>.failed} per request, {@code query.disjoint.skipped} per closer peer dropped
 * because another path owns it, {@code query.timeout}, {@code query.providers.early}.
 */
final class Lookup {
  /** Sends the lookup's request to one peer and returns its reply; throws when the peer fails. */
  @FunctionalInterface
  interface Requester {
    KadMessage ask(KadPeer peer) throws Exception;
  }

  /**
   * What a lookup found.
   *
   * @param closest the K closest peers that answered or were never asked, over all paths
   * @param providers the providers found, round-robin by path
   * @param queried per path, the peers it sent a request to, in order
   * @param timedOut whether the query deadline ended it
   */
  record Result(List<KadPeer> closest, List<KadPeer> providers, List<List<PeerId>> queried, boolean timedOut) {}

  private static final class Path {
    final int index;
    final Map<PeerId, KadPeer> candidates = new LinkedHashMap<>();
    final Set<PeerId> asked = new HashSet<>();
    final Set<PeerId> answered = new HashSet<>();
    final List<PeerId> queried = new ArrayList<>();
    final Map<PeerId, KadPeer> providers = new LinkedHashMap<>();
    int inFlight;

    Path(int index) {
      this.index = index;
    }
  }

  private record Outcome(Path path, KadPeer peer, KadMessage reply) {}

  private final KadKey target;
  private final PeerId self;
  private final int k;
  private final int alpha;
  private final int wantProviders;
  private final Duration timeout;
  private final Executor executor;
  private final Requester requester;
  private final Consumer<KadPeer> onAnswer;
  private final ObjLongConsumer<String> metrics;
  private final List<Path> paths = new ArrayList<>();
  /** Which path owns (may ask) each peer it knows. */
  private final Map<PeerId, Path> owners = new HashMap<>();
  private final Map<PeerId, KadKey> keys = new HashMap<>();
  private final Comparator<KadPeer> byDistance;
  private final Set<PeerId> providersSeen = new HashSet<>();
  private int inFlight;

  /**
   * A lookup of {@code target}.
   *
   * @param paths number of disjoint paths (at least 1)
   * @param wantProviders stop once this many providers were found (0: run to the end)
   * @param onAnswer told about each peer that answered (for the routing table); must not block
   * @param metrics {@code (counter, amount)}
   */
  Lookup(KadKey target, PeerId self, int k, int alpha, int paths, int wantProviders, Duration timeout,
      Executor executor, Requester requester, Consumer<KadPeer> onAnswer, ObjLongConsumer<String> metrics) {
    if (k < 1 || alpha < 1 || paths < 1) {
      throw new IllegalArgumentException("k, alpha and paths must be positive");
    }
    this.target = target;
    this.self = self;
    this.k = k;
    this.alpha = alpha;
    this.wantProviders = wantProviders;
    this.timeout = timeout;
    this.executor = executor;
    this.requester = requester;
    this.onAnswer = onAnswer;
    this.metrics = metrics;
    for (int i = 0; i < paths; i++) {
      this.paths.add(new Path(i));
    }
    this.byDistance = Comparator.comparing((KadPeer p) -> keyOf(p.id()), target::compareDistance);
  }

  private KadKey keyOf(PeerId id) {
    return keys.computeIfAbsent(id, i -> KadKey.of(i.toBytes()));
  }

  /** Runs the lookup from {@code start} (e.g. the routing table's closest peers); once. */
  Result run(List<KadPeer> start) {
    metrics.accept("query.paths." + paths.size(), 1);
    List<KadPeer> seeds = start.stream().filter(p -> !p.id().equals(self)).distinct().sorted(byDistance)
        .limit(k).toList();
    for (int i = 0; i < seeds.size(); i++) {
      KadPeer p = seeds.get(i);
      Path path = paths.get(i % paths.size());
      if (owners.putIfAbsent(p.id(), path) == null) {
        path.candidates.put(p.id(), p);
      }
    }
    ExecutorCompletionService<Outcome> cs = new ExecutorCompletionService<>(executor);
    Set<Future<Outcome>> pending = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean timedOut = false;
    try {
      while (true) {
        if (enoughProviders()) {
          metrics.accept("query.providers.early", 1);
          break;
        }
        for (Path path : paths) {
          launch(path, cs, pending);
        }
        if (inFlight == 0) {
          break; // every path has ended
        }
        long left = deadline - System.nanoTime();
        Future<Outcome> done = left > 0 ? cs.poll(left, TimeUnit.NANOSECONDS) : null;
        if (done == null) {
          timedOut = true;
          metrics.accept("query.timeout", 1);
          break;
        }
        pending.remove(done);
        try {
          handle(done.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("lookup request task failed", e.getCause()); // ask() catches all
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pending.forEach(f -> f.cancel(true)); // requests still in flight are abandoned and interrupted
    }
    return new Result(closest(), providers(), paths.stream().map(p -> List.copyOf(p.queried)).toList(), timedOut);
  }

  /** The path's K closest peers that have not failed and are not waiting for a reply. */
  private List<KadPeer> window(Path path) {
    return path.candidates.values().stream()
        .filter(p -> !path.asked.contains(p.id()) || path.answered.contains(p.id()))
        .sorted(byDistance).limit(k).toList();
  }

  private boolean hasNext(Path path) {
    return window(path).stream().anyMatch(p -> !path.asked.contains(p.id()));
  }

  private void launch(Path path, ExecutorCompletionService<Outcome> cs, Set<Future<Outcome>> pending) {
    if (path.inFlight >= alpha) {
      return;
    }
    for (KadPeer p : window(path)) {
      if (path.inFlight >= alpha) {
        return;
      }
      if (path.asked.add(p.id())) {
        path.inFlight++;
        inFlight++;
        path.queried.add(p.id());
        metrics.accept("query.path." + path.index + ".queried", 1);
        pending.add(cs.submit(() -> {
          try {
            return new Outcome(path, p, requester.ask(p));
          } catch (Exception e) {
            return new Outcome(path, p, null);
          }
        }));
      }
    }
  }

  private void handle(Outcome o) {
    Path path = o.path();
    path.inFlight--;
    inFlight--;
    KadPeer p = o.peer();
    if (o.reply() == null) {
      path.candidates.remove(p.id()); // failed: not among the closest we report
      metrics.accept("query.path." + path.index + ".failed", 1);
      return;
    }
    path.answered.add(p.id());
    onAnswer.accept(p);
    for (KadPeer c : o.reply().closer()) {
      if (c.id().equals(self)) {
        continue;
      }
      Path owner = owners.putIfAbsent(c.id(), path);
      if (owner != null && owner != path) {
        metrics.accept("query.disjoint.skipped", 1); // another path has it: never ours to ask
        continue;
      }
      path.candidates.merge(c.id(), c, (a, b) -> a.addresses().isEmpty() ? b : a);
    }
    for (KadPeer pr : o.reply().providers()) {
      if (providersSeen.add(pr.id())) {
        path.providers.put(pr.id(), pr);
      }
    }
  }

  private boolean enoughProviders() {
    if (wantProviders <= 0 || providersSeen.size() < wantProviders) {
      return false;
    }
    for (Path path : paths) {
      if (path.providers.isEmpty() && (path.inFlight > 0 || hasNext(path))) {
        return false; // this path is still looking and has found nothing yet
      }
    }
    return true;
  }

  private List<KadPeer> closest() {
    List<KadPeer> all = new ArrayList<>();
    for (Path path : paths) {
      path.candidates.values().stream()
          .filter(p -> path.answered.contains(p.id()) || !path.asked.contains(p.id())).forEach(all::add);
    }
    return all.stream().sorted(byDistance).limit(k).toList();
  }

  private List<KadPeer> providers() {
    List<List<KadPeer>> perPath = paths.stream().map(p -> List.copyOf(p.providers.values())).toList();
    List<KadPeer> out = new ArrayList<>();
    for (int i = 0; out.size() < providersSeen.size(); i++) {
      for (List<KadPeer> l : perPath) {
        if (i < l.size()) {
          out.add(l.get(i));
        }
      }
    }
    return out;
  }
}
