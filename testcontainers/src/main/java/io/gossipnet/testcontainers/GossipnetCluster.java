package io.gossipnet.testcontainers;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import tools.jackson.databind.JsonNode;

/**
 * {@code n} gossipnet nodes in containers ({@code node0} ...), sharing one genesis ID, all of one
 * transport or of several ({@link Builder#transport(int, NodeTransport)}), wired to each other and
 * controlled as a whole: partitions that heal ({@link #partition}, {@link #isolate}, {@link
 * #heal}), kills and restarts that keep each node's identity ({@link #kill}, {@link #restart}), and
 * waits for the mesh and for messages ({@link #awaitMesh}, {@link #awaitPropagation}, {@link
 * #awaitEvery}).
 *
 * <p>It is a Testcontainers {@link Startable}: a {@code @Container} field with Testcontainers'
 * JUnit 5 extension starts and stops it, or call {@link Builder#start()} and {@link #close()}.
 *
 * <pre>{@code
 * @Container
 * static GossipnetCluster cluster =
 *     GossipnetCluster.builder(NodeTransport.HYBRID, "my-net").nodes(3).build();
 *
 * @Test
 * void aMessageReachesEveryNodeAfterAPartitionHeals() {
 *   cluster.awaitMesh();
 *   cluster.isolate(2);
 *   String id = cluster.node(0).http().broadcast("hello");
 *   cluster.heal();
 *   cluster.awaitPropagation(id, cluster.node(1));
 * }
 * }</pre>
 *
 * <p>By default each node is given every other node as a {@code --peer}, or the peers a topology
 * function names ({@link Builder#peers}), at the addresses of the transports the two share ({@link
 * GossipnetContainer#dialAddresses}): a hybrid node dials a WS node over WS, a P2P node over libp2p
 * and another hybrid node over both.
 *
 * <p>Each pair of nodes has a private Docker network of its own (a link), on which each of the two
 * has a fixed address and answers to its alias; a partition detaches nodes from the links that
 * cross it and a heal attaches them again at the same addresses, so any cut (two groups, one pair)
 * can be made and undone while every node still answers the test on its mapped ports.
 *
 * <p>P2P and hybrid nodes are dialed by peer ID. The cluster makes the key of every such node, so
 * all addresses are known before anything starts, except for the nodes that keep their own key in a
 * data directory ({@link Builder#keyInDataDir}): those start first, their peer IDs are read from
 * their {@code listening} lines, and then the others start with their addresses.
 */
public final class GossipnetCluster implements Startable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GossipnetCluster.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** The node's own default {@code --fanout}. */
  private static final int NODE_DEFAULT_FANOUT = 4;

  private final Builder settings;
  private final String name = "gossipnet-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<GossipnetContainer> nodes = new ArrayList<>();
  /** The link of each pair (i, j), i &lt; j, keyed {@code i * n + j}. */
  private final Map<Integer, LinkNetwork> links = new TreeMap<>();
  /** The links cut by a partition, as pair keys. */
  private final Set<Integer> cut = new TreeSet<>();
  private boolean started;
  private boolean stopped;

  private GossipnetCluster(Builder settings) {
    this.settings = settings;
  }

  /**
   * A cluster of nodes, to be configured, built and started.
   *
   * @param transport the transport every node runs unless {@link Builder#transport(int,
   *     NodeTransport)} says otherwise
   * @param genesis the genesis ID they share
   * @return a builder (4 nodes of the stock node image, each dialing every other one, the node's
   *     default fanout and mesh interval, the demo API on)
   */
  public static Builder builder(NodeTransport transport, String genesis) {
    return new Builder(transport, genesis);
  }

  /** The settings of a cluster; {@link #build()} makes it, {@link #start()} makes and starts it. */
  public static final class Builder {
    private final NodeTransport transport;
    private final String genesis;
    private int n = 4;
    private GossipnetImage image;
    private BiFunction<Integer, Integer, List<Integer>> peersOf =
        (i, count) -> IntStream.range(0, count).filter(j -> j != i).boxed().toList();
    private final Map<Integer, NodeTransport> transports = new TreeMap<>();
    private final Set<Integer> dataDirKeys = new TreeSet<>();
    private Duration meshInterval;
    private Duration keepAlive;
    private Duration dialTimeout;
    private Integer fanout;
    private boolean byDnsName;
    private boolean demoApi = true;
    private final List<String> runOptions = new ArrayList<>();
    private BiConsumer<Integer, GossipnetContainer> customizer = (i, c) -> {};

    private Builder(NodeTransport transport, String genesis) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.genesis = Objects.requireNonNull(genesis, "genesis");
    }

    /**
     * The number of nodes.
     *
     * @param count how many (1 to 64)
     * @return this builder
     */
    public Builder nodes(int count) {
      if (count < 1 || count > 64) {
        throw new IllegalArgumentException("a cluster has 1 to 64 nodes, not " + count);
      }
      this.n = count;
      return this;
    }

    /**
     * The image every node runs (default {@link GossipnetImage#node()}, the stock node).
     *
     * @param nodeImage the stock node, an application's jar, or an image of the user's own
     * @return this builder
     */
    public Builder image(GossipnetImage nodeImage) {
      this.image = Objects.requireNonNull(nodeImage, "nodeImage");
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
     * --data-dir} ({@link GossipnetContainer#withKeyInDataDir()}). They start before the others and
     * may dial only nodes whose key the cluster made (checked when the cluster starts, as is that
     * each of them has a peer key at all).
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
     * rather than by the peer's fixed {@code /ip4} address on their link (the default, which needs
     * no name lookup while a node is cut off or down).
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
     * Every node's {@code --keep-alive-ms} ({@link GossipnetContainer#withKeepAlive}).
     *
     * @param interval how often an idle connection is pinged; two silent intervals close it
     * @return this builder
     */
    public Builder keepAlive(Duration interval) {
      this.keepAlive = interval;
      return this;
    }

    /**
     * Every node's {@code --dial-timeout-ms} ({@link GossipnetContainer#withDialTimeout}).
     *
     * @param timeout how long a dial may take before the mesh gives it up
     * @return this builder
     */
    public Builder dialTimeout(Duration timeout) {
      this.dialTimeout = timeout;
      return this;
    }

    /**
     * Whether the nodes serve the demo API ({@code --demo-api}, on by default), which {@link
     * #awaitPropagation} reads.
     *
     * @param on whether to pass {@code --demo-api}
     * @return this builder
     */
    public Builder demoApi(boolean on) {
      this.demoApi = on;
      return this;
    }

    /**
     * More {@code run} options for every node ({@code --module com.example.MyModule}, say).
     *
     * @param options the options and their values
     * @return this builder
     */
    public Builder runOptions(String... options) {
      runOptions.addAll(List.of(options));
      return this;
    }

    /**
     * Adjusts each node's container before it starts (environment, options, resources).
     *
     * @param customize given a node's index and its container
     * @return this builder
     */
    public Builder customize(BiConsumer<Integer, GossipnetContainer> customize) {
      this.customizer = this.customizer.andThen(Objects.requireNonNull(customize, "customize"));
      return this;
    }

    /**
     * The cluster, not started: for a {@code @Container} field, or {@link GossipnetCluster#start()}.
     *
     * @return the cluster
     */
    public GossipnetCluster build() {
      for (int i : dataDirKeys) {
        if (i < 0 || i >= n) {
          throw new IllegalArgumentException("keyInDataDir: there is no node" + i + " in a cluster of " + n);
        }
      }
      for (int i : transports.keySet()) {
        if (i < 0 || i >= n) {
          throw new IllegalArgumentException("transport: there is no node" + i + " in a cluster of " + n);
        }
      }
      return new GossipnetCluster(this);
    }

    /**
     * Builds and starts the cluster; returns when every node has printed its {@code listening}
     * line.
     *
     * @return the running cluster; close it to remove the containers and the networks
     */
    public GossipnetCluster start() {
      GossipnetCluster cluster = build();
      cluster.start();
      return cluster;
    }
  }

  /**
   * Creates the links and the containers and starts them, in parallel (data-dir nodes first);
   * returns when every node has printed its {@code listening} line. Does nothing if already started.
   *
   * @throws IllegalStateException if no Docker daemon answers (with what to do), or a node fails to start
   */
  @Override
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    DockerCheck.require();
    Builder b = settings;
    int n = b.n;
    try {
      GossipnetImage image = b.image != null ? b.image : GossipnetImage.node();
      image.name(); // build the image once, before the containers that use it
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        NodeTransport t = b.transports.getOrDefault(i, b.transport);
        if (b.dataDirKeys.contains(i) && !t.speaksP2p()) {
          throw new IllegalArgumentException("node" + i + " is a " + t + " node: it has no peer key to keep in a data directory");
        }
        GossipnetContainer node = new GossipnetContainer(image, t, b.genesis).withAlias("node" + i).withDemoApi(b.demoApi);
        String containerName = name + "-node" + i;
        node.withCreateContainerCmdModifier(cmd -> cmd.withName(containerName));
        if (b.dataDirKeys.contains(i)) {
          node.withKeyInDataDir();
        }
        if (b.fanout != null) {
          node.withFanout(b.fanout);
        }
        if (b.meshInterval != null) {
          node.withMeshInterval(b.meshInterval);
        }
        if (b.keepAlive != null) {
          node.withKeepAlive(b.keepAlive);
        }
        if (b.dialTimeout != null) {
          node.withDialTimeout(b.dialTimeout);
        }
        if (!b.runOptions.isEmpty()) {
          node.withRunOptions(b.runOptions.toArray(String[]::new));
        }
        b.customizer.accept(i, node);
        nodes.add(node);
      }
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          LinkNetwork link = LinkNetwork.create(name + "-" + i + "-" + j);
          links.put(key(i, j), link);
          nodes.get(i).attach(link, link.address(0));
          nodes.get(j).attach(link, link.address(1));
        }
      }
      LOG.info("{}: {} links created in {} ms", name, links.size(), (System.nanoTime() - start) / 1_000_000);
      List<GossipnetContainer> first = new ArrayList<>();
      List<GossipnetContainer> rest = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (b.dataDirKeys.contains(i) ? first : rest).add(nodes.get(i));
      }
      for (List<GossipnetContainer> wave : List.of(first, rest)) {
        for (GossipnetContainer node : wave) {
          int i = nodes.indexOf(node);
          List<Integer> peers = b.peersOf.apply(i, n);
          if (first.contains(node) && peers.stream().anyMatch(b.dataDirKeys::contains)) {
            throw new IllegalArgumentException(
                node.alias() + " keeps its key in its data directory and cannot dial another such node, whose peer ID is"
                    + " only known once it has started");
          }
          List<String> addresses = new ArrayList<>();
          for (int j : peers) {
            if (j == i || j < 0 || j >= n) {
              throw new IllegalArgumentException("node" + i + " cannot dial node" + j + " in a cluster of " + n);
            }
            GossipnetContainer peer = nodes.get(j);
            String host = b.byDnsName ? peer.alias() : addressOn(j, i);
            addresses.addAll(peer.dialAddresses(node.transport(), host));
          }
          node.withPeers(addresses);
        }
        Startables.deepStart(wave).join();
      }
      LOG.info("{}: {} nodes ({}) listening after {} ms", name, n,
          nodes.stream().map(x -> x.alias() + " " + x.transport()).toList(), (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  private static int key(int i, int j) {
    return Math.min(i, j) * 64 + Math.max(i, j);
  }

  /** Node {@code j}'s address on the link it shares with node {@code i}. */
  private String addressOn(int j, int i) {
    return links.get(key(i, j)).address(j < i ? 0 : 1);
  }

  /**
   * A node's address as another node reaches it: its fixed address on the link the two share (the
   * {@code /ip4} of its libp2p address there).
   *
   * @param node the node's index
   * @param seenBy the other node's index
   * @return an IPv4 address
   * @throws IllegalStateException if the cluster has not started
   */
  public synchronized String addressOf(int node, int seenBy) {
    checkIndex(node);
    checkIndex(seenBy);
    if (node == seenBy) {
      throw new IllegalArgumentException("a node has no link to itself");
    }
    return addressOn(node, seenBy);
  }

  /**
   * The nodes, in alias order.
   *
   * @return the nodes
   */
  public List<GossipnetContainer> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * One node.
   *
   * @param index its index ({@code node<index>})
   * @return the node
   */
  public GossipnetContainer node(int index) {
    return nodes.get(index);
  }

  /**
   * The nodes other than the given ones.
   *
   * @param excluded nodes to leave out
   * @return the other nodes, in alias order
   */
  public List<GossipnetContainer> except(GossipnetContainer... excluded) {
    return nodes.stream().filter(n -> Arrays.stream(excluded).noneMatch(x -> x == n)).toList();
  }

  // ---------------------------------------------------------------- faults

  /**
   * Cuts every link between a node of {@code a} and a node of {@code b}: their connections stop
   * carrying packets (each side finds out by its own timeouts), while the nodes within each group
   * stay connected and every node still answers the test. Links already cut stay cut.
   *
   * @param a the indexes of one side
   * @param b the indexes of the other side, disjoint from {@code a}
   */
  public synchronized void partition(Collection<Integer> a, Collection<Integer> b) {
    Set<Integer> both = new HashSet<>(a);
    both.retainAll(b);
    if (!both.isEmpty()) {
      throw new IllegalArgumentException("the two sides of a partition share nodes " + both);
    }
    for (int i : a) {
      for (int j : b) {
        int k = key(checkIndex(i), checkIndex(j));
        if (cut.add(k)) {
          LinkNetwork link = links.get(k);
          nodes.get(i).detach(link);
          nodes.get(j).detach(link);
        }
      }
    }
    LOG.info("{}: partition {} | {}", name, a, b);
  }

  /**
   * Cuts one node off every other node ({@link #partition} of it against the rest).
   *
   * @param index the node's index
   */
  public void isolate(int index) {
    checkIndex(index);
    partition(List.of(index), IntStream.range(0, nodes.size()).filter(j -> j != index).boxed().toList());
  }

  /** Restores every cut link; each node is back at its own address on each, and the meshes reconnect. */
  public synchronized void heal() {
    for (Iterator<Integer> it = cut.iterator(); it.hasNext(); ) {
      int k = it.next();
      LinkNetwork link = links.get(k);
      nodes.get(k / 64).reattach(link);
      nodes.get(k % 64).reattach(link);
      it.remove();
    }
    LOG.info("{}: healed", name);
  }

  /**
   * Kills a node's process with SIGKILL (no orderly stop) and waits until its container is down.
   *
   * @param index the node's index
   */
  public void kill(int index) {
    nodes.get(checkIndex(index)).kill();
  }

  /**
   * Starts a killed node's container again: same alias, addresses, key and command; returns when it
   * has printed a new {@code listening} line.
   *
   * @param index the node's index
   */
  public void restart(int index) {
    nodes.get(checkIndex(index)).restart();
  }

  private int checkIndex(int index) {
    if (index < 0 || index >= nodes.size()) {
      throw new IndexOutOfBoundsException("no node" + index + " in a cluster of " + nodes.size());
    }
    return index;
  }

  // ---------------------------------------------------------------- waits

  /** {@link #awaitMesh(Duration)} with 60 s. */
  public void awaitMesh() {
    awaitMesh(DEFAULT_TIMEOUT);
  }

  /**
   * Waits until every node has the connections its mesh should keep: as many peers as its
   * neighbours in the topology (those it dials and those that dial it) that no partition cuts it
   * off from, at most its fanout when only it dials them, and at least one if it has any
   * neighbour at all (read from each node's {@code /status}).
   *
   * @param timeout how long to wait
   */
  public void awaitMesh(Duration timeout) {
    int n = nodes.size();
    Map<GossipnetContainer, Integer> expected = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Set<Integer> dials = new LinkedHashSet<>();
      Set<Integer> dialedBy = new LinkedHashSet<>();
      for (int j = 0; j < n; j++) {
        if (j == i || cutBetween(i, j) || !shareTransport(i, j)) {
          continue;
        }
        if (settings.peersOf.apply(i, n).contains(j)) {
          dials.add(j);
        } else if (settings.peersOf.apply(j, n).contains(i)) {
          dialedBy.add(j);
        }
      }
      int fanout = nodes.get(i).fanout().orElse(NODE_DEFAULT_FANOUT);
      expected.put(nodes.get(i), Math.min(dials.size(), fanout) + dialedBy.size());
    }
    await(name + " mesh " + expected.values())
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          List<String> short_ = new ArrayList<>();
          for (Map.Entry<GossipnetContainer, Integer> e : expected.entrySet()) {
            int peers = e.getKey().http().peers();
            if (peers < e.getValue()) {
              short_.add(e.getKey().alias() + " has " + peers + " of " + e.getValue() + " peers");
            }
          }
          if (!short_.isEmpty()) {
            throw new AssertionError(String.join("; ", short_));
          }
        });
  }

  private boolean cutBetween(int i, int j) {
    return cut.contains(key(i, j));
  }

  private boolean shareTransport(int i, int j) {
    NodeTransport a = nodes.get(i).transport();
    NodeTransport b = nodes.get(j).transport();
    return (a.speaksWs() && b.speaksWs()) || (a.speaksP2p() && b.speaksP2p());
  }

  /**
   * Waits until every node but those given has received the demo API message (60 s).
   *
   * @param id the message ID {@link NodeHttp#broadcast} answered
   * @param excluded nodes that need not receive it (the partitioned ones, say)
   */
  public void awaitPropagation(String id, GossipnetContainer... excluded) {
    awaitReceived(Set.of(id), DEFAULT_TIMEOUT, except(excluded));
  }

  /**
   * Waits until every node satisfies a condition of the test's own, read from the node through
   * an application's HTTP endpoint, say ({@code node -> node.http().get("/v1/my-net/kv/a").body().equals("1")}).
   * A condition that throws counts as not yet satisfied.
   *
   * @param description what the condition means, for the failure message
   * @param timeout how long to wait
   * @param condition the condition, for one node
   */
  public void awaitEvery(String description, Duration timeout, Predicate<GossipnetContainer> condition) {
    awaitAll(nodes, description, timeout, condition);
  }

  /**
   * Waits until each of the given nodes satisfies the condition; see {@link #awaitEvery}.
   *
   * @param receivers the nodes
   * @param description what the condition means
   * @param timeout how long to wait
   * @param condition the condition, for one node
   */
  public static void awaitAll(
      List<GossipnetContainer> receivers, String description, Duration timeout, Predicate<GossipnetContainer> condition) {
    Set<GossipnetContainer> pending = new LinkedHashSet<>(receivers);
    await(description)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          for (Iterator<GossipnetContainer> it = pending.iterator(); it.hasNext(); ) {
            GossipnetContainer node = it.next();
            boolean ok;
            try {
              ok = condition.test(node);
            } catch (RuntimeException | AssertionError e) {
              ok = false;
            }
            if (ok) {
              it.remove();
            }
          }
          if (!pending.isEmpty()) {
            throw new AssertionError(description + ": not yet on " + pending.stream().map(GossipnetContainer::alias).toList());
          }
        });
  }

  /**
   * Waits until every node reports at least {@code peers} peers in {@code /status}.
   *
   * @param peers the least number of peers each node must have
   * @param timeout how long to wait
   */
  public void awaitPeers(int peers, Duration timeout) {
    for (GossipnetContainer node : nodes) {
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
  public static void awaitPeers(GossipnetContainer node, int peers, Duration timeout) {
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
  public static void awaitExactPeers(GossipnetContainer node, int peers, int in, Duration timeout) {
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
   * Waits until each of the nodes has received every one of the demo API's message IDs; polled
   * every 100 ms from the start, so a caller can time the propagation.
   *
   * @param ids the message IDs
   * @param timeout how long to wait
   * @param receivers the nodes that must receive them
   */
  public static void awaitReceived(Set<String> ids, Duration timeout, List<GossipnetContainer> receivers) {
    // One condition over all receivers, polled often from the start, so that a caller timing the
    // propagation measures the network rather than the polling; a receiver that has every ID is
    // not asked again (a node's received list only grows).
    Map<GossipnetContainer, Set<String>> missing = new LinkedHashMap<>();
    receivers.forEach(node -> missing.put(node, new TreeSet<>(ids)));
    await(receivers.stream().map(GossipnetContainer::alias).toList() + " received " + ids)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (Iterator<Map.Entry<GossipnetContainer, Set<String>>> it = missing.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<GossipnetContainer, Set<String>> e = it.next();
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

  /** Removes the containers and the links. Idempotent. */
  @Override
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    for (GossipnetContainer node : nodes) {
      try {
        node.stop();
      } catch (RuntimeException e) {
        LOG.warn("could not stop {}: {}", node.alias(), e.toString());
      }
    }
    for (LinkNetwork link : links.values()) {
      link.close();
    }
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
