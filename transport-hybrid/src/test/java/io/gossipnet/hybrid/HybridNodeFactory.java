package io.gossipnet.hybrid;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerOption;
import io.gossipnet.testkit.FreePorts;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.testkit.NodeFactory;
import io.gossipnet.testkit.NodeOptions;
import io.gossipnet.testkit.TransportCapabilities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * Makes {@link HybridNetwork}s on loopback for the testkit's contracts: a relay listens on a WS port
 * and a P2P port of its own (public address {@code http://127.0.0.1:<ws port>}); a client listens on
 * neither and runs both meshes. Nodes are dialed at both addresses.
 */
final class HybridNodeFactory implements NodeFactory {
  @Override
  public GossipNode create(NodeOptions options) {
    NetworkConfig.Builder c = options.networkConfig();
    HybridConfig.Builder h;
    if (options.relay()) {
      int port = FreePorts.loopback();
      c.listenAddress("127.0.0.1:" + port).publicAddress("http://127.0.0.1:" + port);
      h = HybridConfig.builder(c.build()).p2pListenAddress("127.0.0.1:" + FreePorts.loopback());
    } else {
      h = HybridConfig.builder(c.build());
    }
    return new HybridNetwork(h.build());
  }

  /** The WS URL, then the P2P multiaddr. */
  @Override
  public List<String> dialAddresses(GossipNode node) {
    List<String> out = new ArrayList<>();
    node.address().ifPresent(out::add);
    ((HybridNetwork) node).p2pAddress().ifPresent(out::add);
    return out;
  }

  /**
   * Until the node is {@linkplain HybridNetwork#settled() settled} (every peer's identity
   * proved, no node connected twice) and its peers have stayed the same for 300 ms: a dial on
   * the other transport may still be on its way when the first one is settled.
   */
  @Override
  public void awaitSettled(GossipNode node) {
    HybridNetwork h = (HybridNetwork) node;
    AtomicReference<List<Peer>> last = new AtomicReference<>(List.of());
    AtomicLong since = new AtomicLong(System.nanoTime());
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(() -> {
      List<Peer> now = h.getPeers(PeerOption.CONNECTED_OUT, PeerOption.CONNECTED_IN);
      if (!h.settled() || !now.equals(last.getAndSet(now))) {
        since.set(System.nanoTime());
        return false;
      }
      return System.nanoTime() - since.get() >= 300_000_000L;
    });
  }

  /**
   * Between two hybrid nodes the WS connection stays (the one dialed by the smaller key, or
   * the WS one of two dialed from one side), so TX travels over WS and reaches handlers rather
   * than GossipSub's validator; a P2P connection carrying only HTTP is listed among the
   * transport connections. A node of another genesis ID is refused over WS but not over P2P,
   * which does not compare genesis IDs (inventory 7.2), so the hybrid does not refuse it.
   */
  @Override
  public TransportCapabilities capabilities() {
    return new TransportCapabilities(Set.of(), true, false);
  }

  @Override
  public List<String> threadNamePrefixes() {
    return List.of("gossipnet-", "HttpClient-");
  }

  /** The node's two engines, WS then P2P. */
  @Override
  public List<NetworkEngine> engines(GossipNode node) {
    HybridNetwork h = (HybridNetwork) node;
    return List.of(h.ws(), h.p2p());
  }
}
