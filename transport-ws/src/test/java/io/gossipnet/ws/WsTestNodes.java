package io.gossipnet.ws;

import static org.awaitility.Awaitility.await;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** Starts real WsNetwork nodes on loopback ports for tests and stops them all. */
final class WsTestNodes implements AutoCloseable {
  static final String GENESIS = "test-v1";
  private final List<WsNetwork> nodes = new ArrayList<>();

  /** A free loopback port (bound and released; good enough for tests on one machine). */
  static int freePort() {
    return io.gossipnet.testkit.FreePorts.loopback();
  }

  /** A config listening on a fresh loopback port, with that address as its public address. */
  static NetworkConfig.Builder listening() {
    int port = freePort();
    return NetworkConfig.builder(GENESIS)
        .listenAddress("127.0.0.1:" + port)
        .publicAddress("http://127.0.0.1:" + port)
        .gossipFanout(0)
        .meshInterval(Duration.ofSeconds(1));
  }

  WsNetwork start(NetworkConfig config) {
    return start(config, WsConfig.defaults());
  }

  WsNetwork start(NetworkConfig config, WsConfig ws) {
    return start(new WsNetwork(config, ws, new SimpleMeterRegistry()));
  }

  /** Starts a network built by the test. */
  WsNetwork start(WsNetwork n) {
    nodes.add(n);
    n.start();
    return n;
  }

  WsNetwork start(UnaryOperator<NetworkConfig.Builder> customize) {
    return start(customize.apply(listening()).build());
  }

  /** Registers a handler on {@code tag} that records every message. */
  static List<IncomingMessage> record(WsNetwork n, Tag tag) {
    List<IncomingMessage> got = new CopyOnWriteArrayList<>();
    n.registerHandlers(List.of(new TaggedHandler(tag, m -> {
      got.add(m);
      return OutgoingMessage.ignore();
    })));
    return got;
  }

  static void awaitPeers(WsNetwork n, int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> n.connectedPeers().size() == count);
  }

  @Override
  public void close() {
    for (WsNetwork n : nodes) {
      n.stop();
    }
  }
}
