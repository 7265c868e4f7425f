package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.RequiresDocker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time bounds a network of gossipnet nodes keeps after faults, on every transport: a partition
 * that heals is whole again, a message broadcast after the heal reaching every node, within
 * {@value #HEAL_BOUND_MS} ms of the heal; a node killed and started again with the same identity is
 * back in the mesh within {@value #REJOIN_BOUND_MS} ms of listening again. The bound on the restart
 * starts at the node's {@code listening} line: before it, the time is Docker's and the JVM's (1 s to
 * start the container on its five networks, 2 to 5 s of JVM start on this project's 2-core
 * machine, depending on its load); the test logs the whole time from the container's start too.
 *
 * <p>Four nodes, each given the other three as {@code --peer}, with a 1 s mesh interval, a 1 s
 * keep-alive ({@code --keep-alive-ms 1000}: an idle connection is pinged every second, and one
 * silent for two seconds is closed) and a 2 s dial timeout ({@code --dial-timeout-ms 2000}). The
 * partition lasts {@value #PARTITION_SECONDS} s, longer than the keep-alive's two seconds, so the
 * nodes on both sides notice it and drop their connections across it (the test waits for that).
 * The mesh then dials the missing peers at every pass: a dial still pending from the previous pass
 * does not hold its address (up to three attempts at once), so a fresh connect goes out each second
 * and the first one after the heal gets through. Without these settings the heal waits on dials made
 * during the partition, which time out after 30 s (WS) or 10 s (P2P) (measured here: 26.4 s for WS,
 * 4.8 s for P2P), or, on connections that survive a short partition, on TCP's next retransmission
 * (see {@code P2pPartitionIT}).
 *
 * <p>After the heal, {@code node0} broadcasts an AV and a TX probe every {@value #PROBE_EVERY_MS}
 * ms (AV goes over the gossip streams or WebSocket, TX over GossipSub on P2P), and the test waits
 * for a probe of each tag at the healed node: the bound is on the later of the two arrivals. The
 * measured times are logged as {@code measured:} lines.
 */
@RequiresDocker
@Timeout(300)
class FaultBoundsIT {
  private static final Logger LOG = LoggerFactory.getLogger(FaultBoundsIT.class);
  static final long HEAL_BOUND_MS = 2_000;
  static final long REJOIN_BOUND_MS = 5_000;
  static final long PARTITION_SECONDS = 6;
  static final long PROBE_EVERY_MS = 100;
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
  private static final Duration MESH_INTERVAL = Duration.ofSeconds(1);
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(2);
  private static final int NODES = 4;
  private static final int VICTIM = 3;
  private static final List<String> TAGS = List.of("AV", "TX");

  @ParameterizedTest(name = "{0}")
  @EnumSource(NodeTransport.class)
  void aHealedPartitionCarriesANewBroadcastToEveryNodeWithinTwoSeconds(NodeTransport transport) throws Exception {
    try (GossipnetCluster cluster = cluster(transport, "gossipnet-it-heal-" + transport.option())) {
      cluster.awaitPeers(NODES - 1, Duration.ofSeconds(60));
      GossipnetContainer origin = cluster.node(0);
      GossipnetContainer cut = cluster.node(VICTIM);

      LOG.info("step: {} is cut off for {} s", cut.alias(), PARTITION_SECONDS);
      cluster.isolate(VICTIM);
      long cutAt = System.nanoTime();
      for (GossipnetContainer node : cluster.nodes()) {
        awaitPeerCount(node, node == cut ? 0 : NODES - 2, Duration.ofSeconds(PARTITION_SECONDS));
      }
      long noticed = System.nanoTime();
      Duration rest = Duration.ofNanos(Math.max(0, Duration.ofSeconds(PARTITION_SECONDS).toNanos() - (noticed - cutAt)));
      await(cut.alias() + " stays without peers for the rest of the partition")
          .during(rest)
          .atMost(rest.plusSeconds(10))
          .until(() -> cut.http().peers() == 0);

      cluster.heal();
      long healed = System.nanoTime();
      Map<String, Long> arrival = probeUntilReceived(origin, cut, healed);
      long last = arrival.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      LOG.info(
          "measured: {} partition of {} s, noticed by both sides {} ms after the cut; heal to a new AV at {} {} ms, a new TX {} ms",
          transport, PARTITION_SECONDS, millis(noticed - cutAt), cut.alias(), millis(arrival.get("AV") - healed),
          millis(arrival.get("TX") - healed));
      assertThat(millis(last - healed))
          .as("%s: ms from the heal until a broadcast made after it reached the healed node", transport)
          .isLessThan(HEAL_BOUND_MS);

      String fromCut = cut.http().broadcast(message("from the healed node"), "AV");
      awaitReceived(Set.of(fromCut), Duration.ofSeconds(30), cluster.except(cut));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(NodeTransport.class)
  void aKilledNodeStartedAgainRejoinsWithItsIdentityWithinFiveSeconds(NodeTransport transport) throws Exception {
    try (GossipnetCluster cluster = cluster(transport, "gossipnet-it-rejoin-" + transport.option())) {
      cluster.awaitPeers(NODES - 1, Duration.ofSeconds(60));
      GossipnetContainer origin = cluster.node(0);
      GossipnetContainer victim = cluster.node(VICTIM);
      String identity = identity(victim);

      LOG.info("step: SIGKILL {} ({})", victim.alias(), identity);
      victim.kill();
      for (GossipnetContainer node : cluster.except(victim)) {
        awaitPeerCount(node, NODES - 2, Duration.ofSeconds(30));
      }

      long start = System.nanoTime();
      victim.restart();
      long listening = System.nanoTime();
      assertThat(identity(victim)).as("the identity the restarted node listens with").isEqualTo(identity);
      GossipnetCluster.awaitAll(
          cluster.nodes(), "every node back at " + (NODES - 1) + " peers", Duration.ofSeconds(60),
          node -> node.http().peers() == NODES - 1);
      long rejoined = System.nanoTime();
      Map<String, Long> arrival = probeUntilReceived(origin, victim, rejoined);
      LOG.info(
          "measured: {} restart: container start to listening {} ms, to every node back at {} peers {} ms;"
              + " then a new AV at {} {} ms, a new TX {} ms",
          transport, millis(listening - start), NODES - 1, millis(rejoined - start), victim.alias(),
          millis(arrival.get("AV") - rejoined), millis(arrival.get("TX") - rejoined));
      assertThat(millis(rejoined - listening))
          .as("%s: ms from the restarted node listening until the mesh is whole again", transport)
          .isLessThan(REJOIN_BOUND_MS);
    }
  }

  private static GossipnetCluster cluster(NodeTransport transport, String genesis) {
    GossipnetCluster.Builder b =
        GossipnetCluster.builder(transport, genesis).nodes(NODES).meshInterval(MESH_INTERVAL).keepAlive(KEEP_ALIVE).dialTimeout(DIAL_TIMEOUT);
    if (transport.speaksP2p()) {
      b.keyInDataDir(VICTIM);
    }
    return b.start();
  }

  /** What the node is known by across restarts: its peer ID when it speaks P2P, else its WS address. */
  private static String identity(GossipnetContainer node) {
    return node.transport().speaksP2p() ? node.listeningPeerIds().getLast() : node.wsPeerAddress();
  }

  /**
   * Broadcasts an AV and a TX probe from {@code origin} every {@value #PROBE_EVERY_MS} ms until a
   * probe of each tag has reached {@code receiver}; returns, per tag, when the first one was seen.
   */
  private static Map<String, Long> probeUntilReceived(GossipnetContainer origin, GossipnetContainer receiver, long since)
      throws InterruptedException {
    Map<String, String> tagOf = new ConcurrentHashMap<>();
    Map<String, Long> arrival = new LinkedHashMap<>();
    ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();
    try {
      probes.scheduleAtFixedRate(
          () -> {
            for (String tag : TAGS) {
              try {
                tagOf.put(origin.http().broadcast(message(tag + " probe"), tag), tag);
              } catch (RuntimeException e) {
                LOG.debug("probe not sent: {}", e.toString());
              }
            }
          },
          0, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
      await(receiver.alias() + " received a probe of each of " + TAGS)
          .atMost(Duration.ofSeconds(60))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .until(
              () -> {
                Set<String> got = receiver.http().received();
                long now = System.nanoTime();
                for (String id : got) {
                  String tag = tagOf.get(id);
                  if (tag != null) {
                    arrival.putIfAbsent(tag, now);
                  }
                }
                return arrival.keySet().containsAll(TAGS);
              });
    } finally {
      probes.shutdownNow();
      probes.awaitTermination(10, TimeUnit.SECONDS);
    }
    List<String> missing = new ArrayList<>(TAGS);
    missing.removeAll(arrival.keySet());
    assertThat(missing).as("tags without a probe at %s", receiver.alias()).isEmpty();
    return arrival;
  }

  private static void awaitPeerCount(GossipnetContainer node, int peers, Duration timeout) {
    await(node.alias() + " has " + peers + " peers")
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> node.http().peers() == peers);
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }
}
