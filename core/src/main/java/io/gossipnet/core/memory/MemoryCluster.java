package io.gossipnet.core.memory;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.identity.Ed25519IdentityChallengeScheme;
import io.gossipnet.core.identity.IdentityKeys;
import io.gossipnet.core.identity.IdentityTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * N nodes on one {@link MemoryNetwork}, every node listening at {@code mem://node-i} and knowing
 * every other as a relay, so that each node's mesh dials {@code fanout} random others. Used by
 * tests, the demo and the benchmarks.
 *
 * <pre>{@code
 * try (MemoryCluster c = MemoryCluster.builder(20).fanout(4).build()) {
 *   c.start();
 *   c.awaitMesh(Duration.ofSeconds(10));
 *   c.node(0).broadcast(Tags.TX, data, true, null);
 * }
 * }</pre>
 */
public final class MemoryCluster implements AutoCloseable {
  private final MemoryNetwork network;
  private final List<NetworkEngine> nodes;
  private final List<MeterRegistry> registries;
  private final int fanout;
  private final boolean identity;

  private MemoryCluster(
      MemoryNetwork network, List<NetworkEngine> nodes, List<MeterRegistry> registries, int fanout, boolean identity) {
    this.identity = identity;
    this.network = network;
    this.nodes = nodes;
    this.registries = registries;
    this.fanout = fanout;
  }

  /** A builder for {@code n} nodes. */
  public static Builder builder(int n) {
    return new Builder(n);
  }

  /** The name (and, with {@code mem://}, the address) of node {@code i}. */
  public static String nodeName(int i) {
    return "node-" + i;
  }

  /** Starts every node. */
  public void start() {
    for (NetworkEngine n : nodes) {
      n.start();
    }
  }

  /**
   * Waits until every node has at least as many peers as its fanout (at most n - 1), incoming and
   * outgoing together: two nodes connect once, whoever dialed.
   *
   * @throws IllegalStateException if that does not happen in time
   */
  public void awaitMesh(Duration timeout) {
    int want = Math.min(fanout, nodes.size() - 1);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ok = true;
      for (NetworkEngine n : nodes) {
        var peers = n.connectedPeers();
        // With the identity challenge on, wait until every connection proved its identity: only
        // then have duplicate connections (two nodes dialing each other) been resolved.
        if (peers.size() < want || (identity && !peers.stream().allMatch(p -> p.identityVerified()))) {
          ok = false;
          n.requestConnectOutgoing(false);
        }
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("mesh not formed within " + timeout);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** The nodes, in order. */
  public List<NetworkEngine> nodes() {
    return nodes;
  }

  /** Node {@code i}. */
  public NetworkEngine node(int i) {
    return nodes.get(i);
  }

  /** Node {@code i}'s meters. */
  public MeterRegistry registry(int i) {
    return registries.get(i);
  }

  /** The in-memory network, for fault injection. */
  public MemoryNetwork network() {
    return network;
  }

  /** Stops every node, in parallel. */
  @Override
  public void close() {
    List<Thread> ts = new ArrayList<>();
    for (NetworkEngine n : nodes) {
      ts.add(Thread.ofVirtual().start(n::stop));
    }
    for (Thread t : ts) {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Builds a {@link MemoryCluster}. */
  public static final class Builder {
    private final int n;
    private String genesisId = "gossipnet-test";
    private int fanout = 4;
    private LinkConditions conditions = LinkConditions.PERFECT;
    private UnaryOperator<NetworkConfig.Builder> customize = b -> b;
    private Supplier<MeterRegistry> registries = SimpleMeterRegistry::new;
    private boolean identity = true;

    private Builder(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("a cluster needs at least one node");
      }
      this.n = n;
    }

    /** The genesis ID of every node. */
    public Builder genesisId(String id) {
      this.genesisId = id;
      return this;
    }

    /** The fanout (outgoing connections per node). */
    public Builder fanout(int f) {
      this.fanout = f;
      return this;
    }

    /** The conditions of every link. */
    public Builder conditions(LinkConditions c) {
      this.conditions = c;
      return this;
    }

    /** Adjusts every node's configuration (after the cluster set its own fields). */
    public Builder config(UnaryOperator<NetworkConfig.Builder> c) {
      this.customize = c;
      return this;
    }

    /** Where each node's meters go (one registry per node). */
    public Builder registries(Supplier<MeterRegistry> s) {
      this.registries = s;
      return this;
    }

    /** Whether nodes run the identity challenge (default true). */
    public Builder identity(boolean on) {
      this.identity = on;
      return this;
    }

    /** Creates the nodes (not started). */
    public MemoryCluster build() {
      MemoryNetwork net = new MemoryNetwork(conditions);
      List<String> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add("mem://" + nodeName(i));
      }
      List<NetworkEngine> nodes = new ArrayList<>();
      List<MeterRegistry> regs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String self = all.get(i);
        List<String> others = new ArrayList<>(all);
        others.remove(self);
        NetworkConfig cfg =
            customize
                .apply(
                    NetworkConfig.builder(genesisId)
                        .listenAddress(self)
                        .publicAddress(self)
                        .relayPeers(others)
                        .gossipFanout(fanout))
                .build();
        MeterRegistry reg = registries.get();
        regs.add(reg);
        var scheme = identity ? new Ed25519IdentityChallengeScheme(IdentityKeys.generate(), Set.of(self)) : null;
        nodes.add(new NetworkEngine(cfg, net.transport(nodeName(i)), reg, scheme, IdentityTracker.create()));
      }
      return new MemoryCluster(net, nodes, regs, fanout, identity);
    }
  }
}
