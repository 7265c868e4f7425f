package io.gossipnet.hybrid;

import io.gossipnet.core.GossipNode;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.testkit.FreePorts;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.ws.WsNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real WS, P2P and hybrid nodes on loopback for the hybrid tests; stops all of them at the end. */
final class HybridNodes implements AutoCloseable {
  static final String GENESIS = "hybrid-test-v1";
  static final Duration WAIT = Duration.ofSeconds(20);

  private final List<GossipNode> nodes = new ArrayList<>();

  /** The settings of a listening hybrid node on two free loopback ports, dialing {@code peers}. */
  static HybridConfig.Builder listening(List<String> peers, int fanout) {
    int port = FreePorts.loopback();
    NetworkConfig n = NetworkConfig.builder(GENESIS)
        .listenAddress("127.0.0.1:" + port)
        .publicAddress("http://127.0.0.1:" + port)
        .relayPeers(peers)
        .gossipFanout(fanout)
        .build();
    return HybridConfig.builder(n).p2pListenAddress("127.0.0.1:" + FreePorts.loopback());
  }

  HybridNetwork hybrid(HybridConfig config) {
    HybridNetwork h = new HybridNetwork(config);
    nodes.add(h);
    return h;
  }

  /** A listening WS-only relay. */
  WsNetwork wsRelay(List<String> peers, int fanout) {
    int port = FreePorts.loopback();
    WsNetwork w = new WsNetwork(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:" + port)
        .publicAddress("http://127.0.0.1:" + port).relayPeers(peers).gossipFanout(fanout).build(),
        WsConfig.defaults(), new SimpleMeterRegistry());
    nodes.add(w);
    return w;
  }

  /** A WS-only client (not listening) dialing {@code peers}. */
  WsNetwork wsClient(List<String> peers) {
    WsNetwork w = new WsNetwork(NetworkConfig.builder(GENESIS).relayPeers(peers).gossipFanout(peers.size()).build(),
        WsConfig.defaults(), new SimpleMeterRegistry());
    nodes.add(w);
    return w;
  }

  /** A listening P2P-only relay. */
  P2PNetwork p2pRelay(List<String> peers, int fanout) {
    P2PNetwork p = new P2PNetwork(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").relayPeers(peers).gossipFanout(fanout).build(),
        P2PConfig.defaults(), new SimpleMeterRegistry());
    nodes.add(p);
    return p;
  }

  /** A P2P-only client dialing {@code peers} that fetches transactions (subscribed to the TX topic). */
  P2PNetwork p2pClient(List<String> peers) {
    P2PNetwork p = new P2PNetwork(NetworkConfig.builder(GENESIS).relayPeers(peers).gossipFanout(peers.size()).build(),
        P2PConfig.builder().forceFetchTransactions(true).build(), new SimpleMeterRegistry());
    nodes.add(p);
    return p;
  }

  /** Records every message of {@code tag} and gives the handler's answer {@code action}. */
  static List<IncomingMessage> record(GossipNode node, Tag tag, OutgoingMessage action) {
    List<IncomingMessage> got = new CopyOnWriteArrayList<>();
    node.registerHandlers(List.of(new TaggedHandler(tag, m -> {
      got.add(m);
      return action;
    })));
    return got;
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop();
    }
  }
}
