package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A 10-node WebSocket mesh on loopback delivers every broadcast to every node. */
class WsMeshTest {
  @Test
  void tenNodesOnLoopbackDeliverEveryBroadcastToEveryNode() {
    int n = 10;
    int messages = 50;
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(WsTestNodes.freePort());
    }
    try (WsTestNodes t = new WsTestNodes()) {
      List<WsNetwork> nodes = new ArrayList<>();
      List<Set<Long>> seen = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<String> others = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          if (j != i) {
            others.add("127.0.0.1:" + ports.get(j));
          }
        }
        NetworkConfig c = NetworkConfig.builder(WsTestNodes.GENESIS)
            .listenAddress("127.0.0.1:" + ports.get(i)).publicAddress("http://127.0.0.1:" + ports.get(i))
            .relayPeers(others).gossipFanout(3).meshInterval(Duration.ofMillis(500))
            .enableIncomingMessageFilter(true).build();
        WsNetwork node = new WsNetwork(c, WsConfig.defaults(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Set<Long> mine = ConcurrentHashMap.newKeySet();
        seen.add(mine);
        node.registerHandlers(List.of(new TaggedHandler(Tags.TX, m -> mine.add(ByteBuffer.wrap(m.data()).getLong())
            ? OutgoingMessage.broadcast() : OutgoingMessage.ignore())));
        nodes.add(t.start(node));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().allMatch(x -> x.connectedPeers().size() >= 3));
      Random r = new Random(1);
      for (long m = 0; m < messages; m++) {
        int origin = r.nextInt(n);
        seen.get(origin).add(m);
        nodes.get(origin).broadcast(Tags.TX, ByteBuffer.allocate(64).putLong(m).array(), true, null);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().allMatch(s -> s.size() == messages));
      for (Set<Long> s : seen) {
        assertThat(s).hasSize(messages);
      }
    }
  }
}
