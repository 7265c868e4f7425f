package io.gossipnet.it.harness;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.lifecycle.Startables;

/**
 * {@code n} node containers ({@code node0} ...) on one private {@link GossipNetwork}, sharing one
 * genesis ID; by default each is given every other node as a {@code --peer}, or the peers a
 * topology function names.
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
   * Creates the network and the containers and starts them all, in parallel; returns when every
   * node has printed its {@code listening} line.
   *
   * @param n the number of nodes
   * @param genesis the genesis ID they share
   * @return the running cluster; close it to remove the containers and the network
   */
  public static GossipCluster start(int n, String genesis) {
    return start(n, genesis, (i, count) -> IntStream.range(0, count).filter(j -> j != i).boxed().toList());
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
    NodeImage.name(); // build the image once, before the containers that use it
    GossipNetwork network = GossipNetwork.create();
    List<NodeContainer> nodes = new ArrayList<>();
    GossipCluster cluster = new GossipCluster(network, nodes);
    try {
      for (int i = 0; i < n; i++) {
        List<String> peers = peersOf.apply(i, n).stream().map(j -> NodeContainer.peerAddress("node" + j)).toList();
        nodes.add(new NodeContainer(network, "node" + i, genesis, peers));
      }
      long start = System.nanoTime();
      Startables.deepStart(nodes).join();
      LOG.info("{} nodes listening after {} ms", n, (System.nanoTime() - start) / 1_000_000);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
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
   * Waits until each of the nodes has received every one of the message IDs.
   *
   * @param ids the message IDs
   * @param timeout how long to wait
   * @param receivers the nodes that must receive them
   */
  public static void awaitReceived(Set<String> ids, Duration timeout, List<NodeContainer> receivers) {
    for (NodeContainer node : receivers) {
      await(node.alias() + " received " + ids)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                Set<String> missing =
                    ids.stream().filter(id -> !node.http().received().contains(id)).collect(Collectors.toSet());
                if (!missing.isEmpty()) {
                  throw new AssertionError(node.alias() + " has not received " + missing);
                }
              });
    }
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
