package io.gossipnet.core.engine;

import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.memory.MemoryNetwork;
import io.gossipnet.core.memory.StubPeer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** Builds single nodes and stub peers on a fresh in-memory network, and stops them after each test. */
abstract class EngineTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);

  final MemoryNetwork net = new MemoryNetwork();
  private final List<NetworkEngine> nodes = new ArrayList<>();
  private final List<StubPeer> stubs = new ArrayList<>();

  /** A started node listening at mem://name with no relay peers (its mesh dials nobody). */
  NetworkEngine node(String name, UnaryOperator<NetworkConfig.Builder> cfg) {
    NetworkConfig c =
        cfg.apply(NetworkConfig.builder("test-genesis").listenAddress("mem://" + name).publicAddress("mem://" + name))
            .build();
    NetworkEngine n = new NetworkEngine(c, net.transport(name), new SimpleMeterRegistry(), null, null);
    nodes.add(n);
    n.start();
    return n;
  }

  NetworkEngine node(String name) {
    return node(name, b -> b);
  }

  /** A stub peer connected to the node, once the node has registered it. */
  StubPeer stub(NetworkEngine node, String name) throws IOException {
    return stub(node, name, true);
  }

  StubPeer stub(NetworkEngine node, String name, boolean autoRead) throws IOException {
    int before = node.connectedPeers().size();
    StubPeer s = StubPeer.connect(net, name, node.address().orElseThrow(), autoRead);
    stubs.add(s);
    await().atMost(WAIT).until(() -> node.connectedPeers().size() > before);
    return s;
  }

  /** The node's peer whose address is mem://name. */
  static WsPeer peerNamed(NetworkEngine node, String name) {
    return node.connectedPeers().stream()
        .filter(p -> p.address().equals("mem://" + name))
        .findFirst()
        .orElseThrow();
  }

  @AfterEach
  void stopAll() {
    for (StubPeer s : stubs) {
      s.close();
    }
    for (NetworkEngine n : nodes) {
      n.stop();
    }
  }
}
