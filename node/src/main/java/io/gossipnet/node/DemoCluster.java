package io.gossipnet.node;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.core.memory.LinkConditions;
import io.gossipnet.core.memory.MemoryCluster;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.ws.WsNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The N nodes of {@code gossipnet demo}, over the in-memory transport, WebSockets, libp2p or both. */
interface DemoCluster extends AutoCloseable {
  /** Node {@code i}. */
  GossipNode node(int i);

  /** The engines behind node {@code i}: one, or a hybrid node's WS and P2P engines. */
  List<NetworkEngine> engines(int i);

  /** Starts every node. */
  void start();

  /** Waits until every node has min(fanout, n - 1) peers. */
  void awaitMesh(Duration timeout);

  @Override
  void close();

  /** In-memory nodes with the given link conditions. */
  static DemoCluster memory(int n, int fanout, LinkConditions conditions, UnaryOperator<NetworkConfig.Builder> config) {
    MemoryCluster c = MemoryCluster.builder(n).fanout(fanout).conditions(conditions).config(config).build();
    return new DemoCluster() {
      @Override
      public GossipNode node(int i) {
        return c.node(i);
      }

      @Override
      public List<NetworkEngine> engines(int i) {
        return List.of(c.node(i));
      }

      @Override
      public void start() {
        c.start();
      }

      @Override
      public void awaitMesh(Duration timeout) {
        c.awaitMesh(timeout);
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  /**
   * P2PNetwork nodes on loopback ports with keys made up front, so each knows every other node's
   * {@code /ip4/127.0.0.1/tcp/<port>/p2p/<id>} address as a relay.
   */
  static DemoCluster p2p(int n, int fanout, UnaryOperator<NetworkConfig.Builder> config) {
    List<Integer> ports = new ArrayList<>();
    List<io.gossipnet.p2p.P2PConfig> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(DemoPorts.loopback());
      keys.add(io.gossipnet.p2p.P2PConfig.defaults());
    }
    List<NetworkEngine> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i) {
          others.add("/ip4/127.0.0.1/tcp/" + ports.get(j) + "/p2p/" + keys.get(j).peerId());
        }
      }
      NetworkConfig.Builder b =
          NetworkConfig.builder("demo-v1")
              .listenAddress("127.0.0.1:" + ports.get(i))
              .relayPeers(others)
              .gossipFanout(fanout)
              .meshInterval(Duration.ofSeconds(2));
      nodes.add(new io.gossipnet.p2p.P2PNetwork(config.apply(b).build(), keys.get(i), new SimpleMeterRegistry()));
    }
    return over(nodes, List::of, fanout, "P2P", e -> true);
  }

  /**
   * A cluster of already built engines; the mesh is formed when every node has min(fanout, n - 1)
   * peers and {@code settled} holds for it.
   */
  private static <N extends GossipNode> DemoCluster over(
      List<N> nodes, java.util.function.Function<N, List<NetworkEngine>> enginesOf, int fanout, String name,
      java.util.function.Predicate<NetworkEngine> settled) {
    int n = nodes.size();
    return new DemoCluster() {
      @Override
      public GossipNode node(int i) {
        return nodes.get(i);
      }

      @Override
      public List<NetworkEngine> engines(int i) {
        return enginesOf.apply(nodes.get(i));
      }

      @Override
      public void start() {
        for (N e : nodes) {
          e.start();
        }
      }

      @Override
      public void awaitMesh(Duration timeout) {
        int want = Math.min(fanout, n - 1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
          boolean ok = true;
          for (N node : nodes) {
            List<NetworkEngine> engines = enginesOf.apply(node);
            int peers = engines.stream().mapToInt(e -> e.connectedPeers().size()).sum();
            if (peers < want) {
              ok = false;
              node.requestConnectOutgoing(false);
            } else if (!engines.stream().allMatch(settled)) {
              ok = false;
            }
          }
          if (ok) {
            return;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the " + name + " mesh did not form within " + timeout);
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }

      @Override
      public void close() {
        List<Thread> stoppers = new ArrayList<>();
        for (N e : nodes) {
          stoppers.add(Thread.ofVirtual().start(e::stop));
        }
        for (Thread t : stoppers) {
          try {
            t.join(Duration.ofSeconds(10));
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    };
  }

  /** WsNetwork nodes on loopback ports; each knows every other node as a relay. */
  static DemoCluster websocket(int n, int fanout, UnaryOperator<NetworkConfig.Builder> config) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(DemoPorts.loopback());
    }
    List<NetworkEngine> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i) {
          others.add("127.0.0.1:" + ports.get(j));
        }
      }
      NetworkConfig.Builder b =
          NetworkConfig.builder("demo-v1")
              .listenAddress("127.0.0.1:" + ports.get(i))
              .publicAddress("http://127.0.0.1:" + ports.get(i))
              .relayPeers(others)
              .gossipFanout(fanout)
              .meshInterval(Duration.ofSeconds(2));
      nodes.add(new WsNetwork(config.apply(b).build(), WsConfig.defaults(), new SimpleMeterRegistry()));
    }
    // Duplicate connections (two nodes dialing each other) are resolved once every connection
    // proved its identity; the mesh counts as formed only then.
    return over(nodes, List::of, fanout, "WebSocket", DemoCluster::identitiesVerified);
  }

  private static boolean identitiesVerified(NetworkEngine e) {
    return !e.config().enableIdentityChallenge() || e.connectedPeers().stream().allMatch(p -> p.identityVerified());
  }

  /**
   * Hybrid nodes on loopback (a WS and a P2P port each, keys made up front). Each lists the others,
   * the even-numbered ones by their WS address and the odd-numbered ones by their P2P multiaddr, so
   * the hybrid relay mesh dials WS first and fills the fanout over P2P, and messages cross between
   * the two transports.
   */
  static DemoCluster hybrid(int n, int fanout, UnaryOperator<NetworkConfig.Builder> config) {
    List<Integer> wsPorts = new ArrayList<>();
    List<Integer> p2pPorts = new ArrayList<>();
    List<io.gossipnet.p2p.P2PConfig> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      wsPorts.add(DemoPorts.loopback());
      p2pPorts.add(DemoPorts.loopback());
      keys.add(io.gossipnet.p2p.P2PConfig.defaults());
    }
    List<io.gossipnet.hybrid.HybridNetwork> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i) {
          others.add(j % 2 == 0 ? "127.0.0.1:" + wsPorts.get(j) : "/ip4/127.0.0.1/tcp/" + p2pPorts.get(j) + "/p2p/" + keys.get(j).peerId());
        }
      }
      NetworkConfig.Builder b =
          NetworkConfig.builder("demo-v1")
              .listenAddress("127.0.0.1:" + wsPorts.get(i))
              .publicAddress("http://127.0.0.1:" + wsPorts.get(i))
              .relayPeers(others)
              .gossipFanout(fanout)
              .meshInterval(Duration.ofSeconds(2));
      nodes.add(new io.gossipnet.hybrid.HybridNetwork(io.gossipnet.hybrid.HybridConfig.builder(config.apply(b).build())
          .p2pListenAddress("127.0.0.1:" + p2pPorts.get(i)).p2p(keys.get(i)).build()));
    }
    return over(nodes, h -> List.of(h.ws(), h.p2p()), fanout, "hybrid", DemoCluster::identitiesVerified);
  }
}
