package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.Tags;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WsNetworkLoopbackTest {
  @Test
  void twoNodesConnectAndExchangeMessagesBothWays() {
    try (WsTestNodes t = new WsTestNodes()) {
      WsNetwork a = t.start(b -> b);
      WsNetwork b = t.start(c -> c.relayPeers(List.of("127.0.0.1:" + a.localPort())).gossipFanout(1));
      List<IncomingMessage> atA = WsTestNodes.record(a, Tags.TX);
      List<IncomingMessage> atB = WsTestNodes.record(b, Tags.TX);
      WsTestNodes.awaitPeers(a, 1);
      WsTestNodes.awaitPeers(b, 1);
      b.broadcast(Tags.TX, new byte[] {1, 2, 3}, true, null);
      a.broadcast(Tags.TX, new byte[] {4, 5}, true, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> atA.size() == 1 && atB.size() == 1);
      assertThat(atA.get(0).data()).containsExactly(1, 2, 3);
      assertThat(atB.get(0).data()).containsExactly(4, 5);
      assertThat(a.connectedPeers().get(0).address()).isEqualTo("http://127.0.0.1:" + b.localPort());
      assertThat(b.connectedPeers().get(0).identityVerified()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> a.connectedPeers().get(0).identityVerified());
    }
  }
}
