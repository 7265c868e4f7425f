package io.gossipnet.it.harness;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.lifecycle.Startables;

/**
 * {@code n} node containers ({@code node0} ...) on one private {@link GossipNetwork}, sharing one
 * genesis ID, all of one transport or of several ({@link Builder#transport(int, NodeTransport)}); by
 * default each is given every other node as a {@code --peer}, or the peers a topology function names
 * ({@link #builder}). A node is given each peer at the addresses of the transports the two share
 * ({@link NodeContainer#dialAddresses}): a hybrid node dials a WS node over WS, a P2P node over
 * libp2p and another hybrid node over both.
 *
 * <p>P2P and hybrid nodes are dialed by peer ID. The harness makes the key of every such node, so
 * all addresses are known before anything starts, except for the nodes that keep their own key in a
 * data directory ({@link Builder#keyInDataDir}): those start first, their peer IDs are read from
 * their {@code listening} lines, and then the others start with their addresses.
 */
public final class GossipCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GossipCluster.class);

  private final GossipNetwork network;
  private final List<NodeContainer> nodes;

  private GossipCluster(GossipNetwork network, List<NodeContainer> nodes) {
    this.network = network;
    this.nodes = nodes;
  }

  /**
   * Starts {@code n} WS nodes, each dialing every other one; returns when every node has printed
   * its {@code listening} line.
   *
   * @param n the number of nodes
   * @param genesis the genesis ID they share
   * @return the running cluster; close it to remove the containers and the network
   */
  public static GossipCluster start(int n, String genesis) {
    return builder(NodeTransport.WS, genesis).nodes(n).start();
  }

  /**
   * Like {@link #start(int, String)}, with the peers of each node chosen by {@code peersOf}.
   *
   * @param n the number of nodes
   * @param genesis the genesis ID they share
   * @param peersOf given a node's index and {@code n}, the indexes of the nodes it dials
   * @return the running cluster; close it to remove the containers and the network
   */
  public static GossipCluster start(int n, String genesis, BiFunction<Integer, Integer, List<Integer>> peersOf) {
    return builder(NodeTransport.WS, genesis).nodes(n).peers(peersOf).start();
  }

  /**
   * A cluster of nodes, to be configured and started.
   *
   * @param transport the transport every node runs unless {@link Builder#transport(int,
   *     NodeTransport)} says otherwise
   * @param genesis the genesis ID they share
   * @return a builder (4 nodes, each dialing every other one, the node's default fanout and mesh
   *     interval)
   */
  public static Builder builder(NodeTransport transport, String genesis) {
    return new Builder(transport, genesis);
  }

  /** The settings of a cluster; {@link #start()} makes it. */
  public static final class Builder {
    private final NodeTransport transport;
    private final String genesis;
    private int n = 4;
    private BiFunction<Integer, Integer, List<Integer>> peersOf =
        (i, count) -> IntStream.range(0, count).filter(j -> j != i).boxed().toList();
    private final Map<Integer, NodeTransport> transports = new TreeMap<>();
    private final Set<Integer> dataDirKeys = new TreeSet<>();
    private Duration meshInterval;
    private Integer fanout;
    private boolean byDnsName;

    private Builder(NodeTransport transport, String genesis) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.genesis = Objects.requireNonNull(genesis, "genesis");
    }

    /**
     * The number of nodes.
     *
     * @param count how many
     * @return this builder
     */
    public Builder nodes(int count) {
      this.n = count;
      return this;
    }

    /**
     * One node runs another transport than the cluster's.
     *
     * @param index the node's index
     * @param nodeTransport the transport it runs
     * @return this builder
     */
    public Builder transport(int index, NodeTransport nodeTransport) {
      transports.put(index, Objects.requireNonNull(nodeTransport, "nodeTransport"));
      return this;
    }

    /**
     * The topology: whom each node dials.
     *
     * @param topology given a node's index and the number of nodes, the indexes of the nodes it dials
     * @return this builder
     */
    public Builder peers(BiFunction<Integer, Integer, List<Integer>> topology) {
      this.peersOf = Objects.requireNonNull(topology, "topology");
      return this;
    }

    /**
     * P2P or hybrid: these nodes generate their key on their first start and keep it in {@code
     * --data-dir} ({@link NodeContainer.KeySource#DATA_DIR}). They start before the others and may
     * dial only nodes whose key the harness made (checked by {@link #start()}, as is that each of
     * them has a peer key at all).
     *
     * @param indexes the nodes' indexes
     * @return this builder
     */
    public Builder keyInDataDir(int... indexes) {
      Arrays.stream(indexes).forEach(dataDirKeys::add);
      return this;
    }

    /**
     * P2P and hybrid: nodes name their libp2p peers {@code /dns4/alias/tcp/PORT/p2p/<peer ID>}
     * ({@link NodeContainer#p2pPeerAddress(boolean)}) rather than by their fixed {@code /ip4}
     * address (the default, which needs no name lookup while a node is cut off or down).
     *
     * @return this builder
     */
    public Builder peersByDnsName() {
      this.byDnsName = true;
      return this;
    }

    /**
     * Every node's {@code --fanout}: the outgoing connections its mesh keeps.
     *
     * @param outgoing how many
     * @return this builder
     */
    public Builder fanout(int outgoing) {
      this.fanout = outgoing;
      return this;
    }

    /**
     * Every node's {@code --mesh-interval-ms}.
     *
     * @param interval how often a node's mesh dials missing peers
     * @return this builder
     */
    public Builder meshInterval(Duration interval) {
      this.meshInterval = interval;
      return this;
    }

    /**
     * Creates the network and the containers and starts them, in parallel (data-dir nodes first);
     * returns when every node has printed its {@code listening} line.
     *
     * @return the running cluster; close it to remove the containers and the network
     */
    public GossipCluster start() {
      NodeImage.name(); // build the image once, before the containers that use it
      GossipNetwork network = GossipNetwork.create();
      List<NodeContainer> nodes = new ArrayList<>();
      GossipCluster cluster = new GossipCluster(network, nodes);
      try {
        for (int i = 0; i < n; i++) {
          NodeTransport t = transports.getOrDefault(i, transport);
          if (dataDirKeys.contains(i) && !t.speaksP2p()) {
            throw new IllegalArgumentException("node" + i + " is a " + t + " node: it has no peer key to keep in a data directory");
          }
          NodeContainer.KeySource keys =
              dataDirKeys.contains(i) ? NodeContainer.KeySource.DATA_DIR : NodeContainer.KeySource.KEY_FILE;
          NodeContainer node = new NodeContainer(network, "node" + i, genesis, t, keys, meshInterval);
          if (fanout != null) {
            node.withFanout(fanout);
          }
          nodes.add(node);
        }
        long start = System.nanoTime();
        List<NodeContainer> first = nodes.stream().filter(node -> dataDirKeys.contains(nodes.indexOf(node))).toList();
        List<NodeContainer> rest = nodes.stream().filter(node -> !first.contains(node)).toList();
        for (List<NodeContainer> wave : List.of(first, rest)) {
          for (NodeContainer node : wave) {
            int i = nodes.indexOf(node);
            List<Integer> peers = peersOf.apply(i, n);
            if (first.contains(node) && peers.stream().anyMatch(dataDirKeys::contains)) {
              throw new IllegalArgumentException(
                  node.alias() + " keeps its key in its data directory and cannot dial another such node, whose peer ID is"
                      + " only known once it has started");
            }
            node.withPeers(
                peers.stream()
                    .map(nodes::get)
                    .flatMap(p -> p.dialAddresses(node.transport(), byDnsName).stream())
                    .toList());
          }
          Startables.deepStart(wave).join();
        }
        LOG.info("{} nodes ({}) listening after {} ms", n, nodes.stream().map(x -> x.alias() + " " + x.transport()).toList(),
            (System.nanoTime() - start) / 1_000_000);
        return cluster;
      } catch (RuntimeException | Error e) {
        cluster.close();
        throw e;
      }
    }
  }

  /**
   * The nodes, in alias order.
   *
   * @return the nodes
   */
  public List<NodeContainer> nodes() {
    return nodes;
  }

  /**
   * One node.
   *
   * @param index its index ({@code node<index>})
   * @return the node
   */
  public NodeContainer node(int index) {
    return nodes.get(index);
  }

  /**
   * Waits until every node reports at least {@code peers} peers in {@code /status}.
   *
   * @param peers the least number of peers each node must have
   * @param timeout how long to wait
   */
  public void awaitPeers(int peers, Duration timeout) {
    for (NodeContainer node : nodes) {
      awaitPeers(node, peers, timeout);
    }
  }

  /**
   * Waits until one node reports at least {@code peers} peers in {@code /status}.
   *
   * @param node the node
   * @param peers the least number of peers it must have
   * @param timeout how long to wait
   */
  public static void awaitPeers(NodeContainer node, int peers, Duration timeout) {
    await(node.alias() + " has at least " + peers + " peers")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> node.http().peers() >= peers);
  }

  /**
   * Waits until one node reports exactly {@code peers} peers, {@code in} of them incoming, in {@code
   * /status}; polled every 100 ms from the start, so a caller can time it.
   *
   * @param node the node
   * @param peers the number of peers it must have
   * @param in how many of them dialed it
   * @param timeout how long to wait
   */
  public static void awaitExactPeers(NodeContainer node, int peers, int in, Duration timeout) {
    await(node.alias() + " has " + peers + " peers, " + in + " of them incoming")
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode status = node.http().status();
              if (status.get("peers").asInt() != peers || status.get("peersIn").asInt() != in) {
                throw new AssertionError(node.alias() + " /status " + status);
              }
            });
  }

  /**
   * Waits until each of the nodes has received every one of the message IDs; polled every 100 ms
   * from the start, so a caller can time the propagation.
   *
   * @param ids the message IDs
   * @param timeout how long to wait
   * @param receivers the nodes that must receive them
   */
  public static void awaitReceived(Set<String> ids, Duration timeout, List<NodeContainer> receivers) {
    // One condition over all receivers, polled often from the start, so that a caller timing the
    // propagation measures the network rather than the polling; a receiver that has every ID is
    // not asked again (a node's received list only grows).
    Map<NodeContainer, Set<String>> missing = new LinkedHashMap<>();
    receivers.forEach(node -> missing.put(node, new TreeSet<>(ids)));
    await(receivers.stream().map(NodeContainer::alias).toList() + " received " + ids)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (Iterator<Map.Entry<NodeContainer, Set<String>>> it = missing.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<NodeContainer, Set<String>> e = it.next();
                e.getValue().removeAll(e.getKey().http().received());
                if (e.getValue().isEmpty()) {
                  it.remove();
                }
              }
              if (!missing.isEmpty()) {
                throw new AssertionError(
                    missing.entrySet().stream()
                        .map(e -> e.getKey().alias() + " has not received " + e.getValue())
                        .collect(Collectors.joining("; ")));
              }
            });
  }

  /**
   * The nodes other than the given ones.
   *
   * @param excluded nodes to leave out
   * @return the other nodes, in alias order
   */
  public List<NodeContainer> except(NodeContainer... excluded) {
    return nodes.stream().filter(n -> Arrays.stream(excluded).noneMatch(x -> x == n)).toList();
  }

  @Override
  public void close() {
    for (NodeContainer node : nodes) {
      try {
        node.stop();
      } catch (RuntimeException e) {
        LOG.warn("could not stop {}: {}", node.alias(), e.toString());
      }
    }
    network.close();
  }
}
