package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Peer scores per GossipSub v1.1: P1 time in mesh, P2 first deliveries, P3 mesh deliveries and
 * P3b mesh failures, P4 invalid messages (per topic, times the topic weight), P5 application score,
 * P6 IP colocation and P7 behaviour penalty. Not thread-safe: used under the router's lock.
 */
final class PeerScore {
  private static final class TopicStats {
    boolean inMesh;
    long graftNanos;
    boolean meshActive;
    double firstDeliveries;
    double meshDeliveries;
    double meshFailurePenalty;
    double invalidDeliveries;
  }

  private static final class Stats {
    final Map<String, TopicStats> topics = new HashMap<>();
    String ip;
    double behaviourPenalty;
    boolean connected = true;
    long disconnectedNanos;

    TopicStats topic(String t) {
      return topics.computeIfAbsent(t, k -> new TopicStats());
    }
  }

  /** First delivery of a message: when, and which peers delivered it since. */
  private record Delivery(long firstNanos, Set<PeerId> peers) {}

  private final PeerScoreParams params;
  private final Map<PeerId, Stats> stats = new HashMap<>();
  private final Map<String, Set<PeerId>> peersByIp = new HashMap<>();
  private final Map<MessageKey, Delivery> deliveries = new HashMap<>();
  private ToDoubleFunction<PeerId> appScore;

  PeerScore(PeerScoreParams params) {
    this.params = params;
    this.appScore = params.appSpecificScore();
  }

  void setAppScore(ToDoubleFunction<PeerId> f) {
    appScore = f;
  }

  void addPeer(PeerId p, String ip) {
    Stats s = stats.computeIfAbsent(p, k -> new Stats());
    s.connected = true;
    if (ip != null && s.ip == null) {
      s.ip = ip;
      peersByIp.computeIfAbsent(ip, k -> new HashSet<>()).add(p);
    }
  }

  /** The peer left; its stats are kept (with decay) so a reconnect does not wash out penalties. */
  void removePeer(PeerId p) {
    Stats s = stats.get(p);
    if (s == null) {
      return;
    }
    s.connected = false;
    s.disconnectedNanos = System.nanoTime();
    for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
      if (e.getValue().inMesh) {
        prune(e.getKey(), e.getValue());
      }
    }
    if (s.ip != null) {
      Set<PeerId> on = peersByIp.get(s.ip);
      if (on != null) {
        on.remove(p);
        if (on.isEmpty()) {
          peersByIp.remove(s.ip);
        }
      }
      s.ip = null;
    }
  }

  void graft(PeerId p, String topic) {
    Stats s = stats.computeIfAbsent(p, k -> new Stats());
    TopicStats t = s.topic(topic);
    t.inMesh = true;
    t.graftNanos = System.nanoTime();
    t.meshActive = false;
  }

  void prune(PeerId p, String topic) {
    Stats s = stats.get(p);
    TopicStats t = s == null ? null : s.topics.get(topic);
    if (t != null && t.inMesh) {
      prune(topic, t);
    }
  }

  /** Leaving the mesh with a delivery deficit turns it into a sticky penalty (P3b). */
  private void prune(String topic, TopicStats t) {
    TopicScoreParams tp = params.topic(topic);
    if (tp != null && t.meshActive && t.meshDeliveries < tp.meshMessageDeliveriesThreshold()) {
      double deficit = tp.meshMessageDeliveriesThreshold() - t.meshDeliveries;
      t.meshFailurePenalty += deficit * deficit;
    }
    t.inMesh = false;
    t.meshActive = false;
  }

  void penalise(PeerId p, double amount) {
    stats.computeIfAbsent(p, k -> new Stats()).behaviourPenalty += amount;
  }

  /** A message from {@code from} passed validation: first delivery (P2) and mesh delivery (P3). */
  void deliver(PeerId from, MessageKey id, String topic, boolean inMesh) {
    deliveries.putIfAbsent(id, new Delivery(System.nanoTime(), new HashSet<>()));
    deliveries.get(id).peers().add(from);
    TopicScoreParams tp = params.topic(topic);
    if (tp == null) {
      return;
    }
    TopicStats t = stats.computeIfAbsent(from, k -> new Stats()).topic(topic);
    t.firstDeliveries = Math.min(tp.firstMessageDeliveriesCap(), t.firstDeliveries + 1);
    if (inMesh) {
      t.meshDeliveries = Math.min(tp.meshMessageDeliveriesCap(), t.meshDeliveries + 1);
    }
  }

  /** A copy of an already seen message; a mesh peer close behind the first still earns P3. */
  void duplicate(PeerId from, MessageKey id, String topic, boolean inMesh) {
    Delivery d = deliveries.get(id);
    TopicScoreParams tp = params.topic(topic);
    if (d == null || tp == null || !inMesh || !d.peers().add(from)) {
      return;
    }
    if (System.nanoTime() - d.firstNanos() <= tp.meshMessageDeliveriesWindow().toNanos()) {
      TopicStats t = stats.computeIfAbsent(from, k -> new Stats()).topic(topic);
      t.meshDeliveries = Math.min(tp.meshMessageDeliveriesCap(), t.meshDeliveries + 1);
    }
  }

  /** An invalid message (bad signature, policy, or a validator's REJECT): P4. */
  void reject(PeerId from, String topic) {
    TopicScoreParams tp = params.topic(topic);
    if (tp != null) {
      stats.computeIfAbsent(from, k -> new Stats()).topic(topic).invalidDeliveries += 1;
    }
  }

  double score(PeerId p) {
    Stats s = stats.get(p);
    if (s == null) {
      return params.appSpecificWeight() * appScore.applyAsDouble(p);
    }
    double topicScore = 0;
    long now = System.nanoTime();
    for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
      TopicScoreParams tp = params.topic(e.getKey());
      if (tp == null) {
        continue;
      }
      TopicStats t = e.getValue();
      double ts = 0;
      if (t.inMesh) {
        // whole quanta, as go divides durations
        double quanta = (now - t.graftNanos) / tp.timeInMeshQuantum().toNanos();
        ts += Math.min(quanta, tp.timeInMeshCap()) * tp.timeInMeshWeight();
      }
      ts += t.firstDeliveries * tp.firstMessageDeliveriesWeight();
      if (t.inMesh && t.meshActive && t.meshDeliveries < tp.meshMessageDeliveriesThreshold()) {
        double deficit = tp.meshMessageDeliveriesThreshold() - t.meshDeliveries;
        ts += deficit * deficit * tp.meshMessageDeliveriesWeight();
      }
      ts += t.meshFailurePenalty * tp.meshFailurePenaltyWeight();
      ts += t.invalidDeliveries * t.invalidDeliveries * tp.invalidMessageDeliveriesWeight();
      topicScore += ts * tp.topicWeight();
    }
    if (params.topicScoreCap() > 0 && topicScore > params.topicScoreCap()) {
      topicScore = params.topicScoreCap();
    }
    double score = topicScore + params.appSpecificWeight() * appScore.applyAsDouble(p);
    if (s.ip != null) {
      int surplus = peersByIp.getOrDefault(s.ip, Set.of()).size() - params.ipColocationFactorThreshold();
      if (surplus > 0) {
        score += (double) surplus * surplus * params.ipColocationFactorWeight();
      }
    }
    if (s.behaviourPenalty > params.behaviourPenaltyThreshold()) {
      double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
      score += excess * excess * params.behaviourPenaltyWeight();
    }
    return score;
  }

  /**
   * Decays the counters and forgets peers disconnected for {@link PeerScoreParams#retainScore()};
   * call every {@link PeerScoreParams#decayInterval()}.
   */
  void decay() {
    long now = System.nanoTime();
    long retainNanos = params.retainScore().toNanos();
    double zero = params.decayToZero();
    for (Iterator<Map.Entry<PeerId, Stats>> it = stats.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<PeerId, Stats> e = it.next();
      Stats s = e.getValue();
      if (!s.connected && now - s.disconnectedNanos >= retainNanos) {
        it.remove();
        continue;
      }
      for (Map.Entry<String, TopicStats> te : s.topics.entrySet()) {
        TopicScoreParams tp = params.topic(te.getKey());
        if (tp == null) {
          continue;
        }
        TopicStats t = te.getValue();
        t.firstDeliveries = decayed(t.firstDeliveries * tp.firstMessageDeliveriesDecay(), zero);
        t.meshDeliveries = decayed(t.meshDeliveries * tp.meshMessageDeliveriesDecay(), zero);
        t.meshFailurePenalty = decayed(t.meshFailurePenalty * tp.meshFailurePenaltyDecay(), zero);
        t.invalidDeliveries = decayed(t.invalidDeliveries * tp.invalidMessageDeliveriesDecay(), zero);
        if (t.inMesh && !t.meshActive
            && now - t.graftNanos >= tp.meshMessageDeliveriesActivation().toNanos()) {
          t.meshActive = true;
        }
      }
      s.behaviourPenalty = decayed(s.behaviourPenalty * params.behaviourPenaltyDecay(), zero);
    }
  }

  /** Forgets delivery records older than {@code maxAgeNanos}. */
  void expireDeliveries(long maxAgeNanos) {
    long now = System.nanoTime();
    deliveries.values().removeIf(d -> now - d.firstNanos() > maxAgeNanos);
  }

  private static double decayed(double v, double zero) {
    return v < zero ? 0 : v;
  }
}
