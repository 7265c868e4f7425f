package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.core.phonebook.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incoming limits of inventory section 5.3: total, per IP, per-IP rate, the /status exemption. */
class WsLimitsTest {
  private static final String PATH = "/v1/" + WsTestNodes.GENESIS + "/gossip";
  private WsTestNodes nodes;
  private final List<RawWsClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    nodes = new WsTestNodes();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (RawWsClient c : clients) {
      c.close();
    }
    nodes.close();
  }

  private RawWsClient upgrade(WsNetwork n, Map<String, String> headers) throws Exception {
    RawWsClient c = RawWsClient.upgrade(n.localPort(), PATH, headers);
    clients.add(c);
    return c;
  }

  private RawWsClient upgrade(WsNetwork n) throws Exception {
    return upgrade(n, RawWsClient.validHeaders(WsTestNodes.GENESIS));
  }

  @Test
  void thePerIpLimitRefusesWith503() throws Exception {
    WsNetwork n = nodes.start(b -> b.maxConnectionsPerIp(2));
    assertThat(upgrade(n).status).isEqualTo(101);
    assertThat(upgrade(n).status).isEqualTo(101);
    WsTestNodes.awaitPeers(n, 2);
    assertThat(upgrade(n).status).isEqualTo(503);
  }

  @Test
  void theTotalLimitRefusesWith503() throws Exception {
    WsNetwork n = nodes.start(b -> b.incomingConnectionsLimit(2).maxConnectionsPerIp(100));
    assertThat(upgrade(n).status).isEqualTo(101);
    assertThat(upgrade(n).status).isEqualTo(101);
    WsTestNodes.awaitPeers(n, 2);
    assertThat(upgrade(n).status).isEqualTo(503);
  }

  @Test
  void statusStaysReachableWhenTheNodeIsFullOfPendingConnections() throws Exception {
    WsNetwork n = nodes.start(b -> b.incomingConnectionsLimit(2).maxConnectionsPerIp(100));
    n.registerHttpHandler("/status", req -> HttpResponse.json(200, "{\"ok\":true}"));
    n.registerHttpHandler("/other", req -> HttpResponse.text(200, "other"));
    // Three connections that never send a request fill the pending count beyond the limit.
    for (int i = 0; i < 3; i++) {
      clients.add(RawWsClient.idle(n.localPort()));
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      try (RawWsClient other = RawWsClient.get(n.localPort(), "/other")) {
        assertThat(other.status).isEqualTo(503);
      }
    });
    try (RawWsClient status = RawWsClient.get(n.localPort(), "/status")) {
      assertThat(status.status).isEqualTo(200);
    }
  }

  @Test
  void theConnectionRateLimitAnswers429WithRetryAfter() throws Exception {
    WsNetwork n = nodes.start(
        WsTestNodes.listening().connectionsRateLimitingCount(2).connectionsRateLimitingWindow(Duration.ofSeconds(7)).build(),
        WsConfig.builder().disableLocalhostConnectionRateLimit(false).build());
    assertThat(upgrade(n).status).isEqualTo(101);
    assertThat(upgrade(n).status).isEqualTo(101);
    RawWsClient third = upgrade(n);
    assertThat(third.status).isEqualTo(429);
    assertThat(third.headers).containsEntry("retry-after", "7");
    assertThat(n.metrics().registry().find("gossipnet.ws.rate.limited").counter().count()).isEqualTo(1);
  }

  @Test
  void overTwiceTheRateTheConnectionIsDroppedWithoutAnAnswer() throws Exception {
    WsNetwork n = nodes.start(
        WsTestNodes.listening().connectionsRateLimitingCount(1).connectionsRateLimitingWindow(Duration.ofSeconds(30)).build(),
        WsConfig.builder().disableLocalhostConnectionRateLimit(false).build());
    assertThat(upgrade(n).status).isEqualTo(101);
    assertThat(upgrade(n).status).isEqualTo(429);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> upgrade(n)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void loopbackIsExemptFromTheRateLimitByDefault() throws Exception {
    WsNetwork n = nodes.start(b -> b.connectionsRateLimitingCount(1).connectionsRateLimitingWindow(Duration.ofSeconds(30)));
    for (int i = 0; i < 4; i++) {
      assertThat(upgrade(n).status).isEqualTo(101);
    }
  }

  @Test
  void theDialerRecordsRetryAfterInItsPhonebook() throws Exception {
    WsNetwork target = nodes.start(
        WsTestNodes.listening().connectionsRateLimitingCount(1).connectionsRateLimitingWindow(Duration.ofSeconds(60)).build(),
        WsConfig.builder().disableLocalhostConnectionRateLimit(false).build());
    // Use up the target's budget for our address.
    try (RawWsClient first = RawWsClient.get(target.localPort(), "/nothing")) {
      assertThat(first.status).isEqualTo(404);
    }
    String address = "127.0.0.1:" + target.localPort();
    WsNetwork dialer = nodes.start(b -> b.relayPeers(List.of(address)).gossipFanout(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> target.metrics().registry().find("gossipnet.ws.rate.limited").counter().count() >= 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> dialer.phonebook().getAddresses(10, Role.RELAY).isEmpty());
    assertThat(dialer.phonebook().contains(address)).isTrue();
    assertThat(dialer.connectedPeers()).isEmpty();
  }

  @Test
  void xForwardedForNamesTheRemoteHostWhenEnabled() throws Exception {
    WsNetwork n = nodes.start(WsTestNodes.listening().maxConnectionsPerIp(1).build(), WsConfig.builder().useXForwardedFor(true).build());
    Map<String, String> fromA = new LinkedHashMap<>(RawWsClient.validHeaders(WsTestNodes.GENESIS));
    fromA.put("X-Forwarded-For", "10.0.0.1, 192.0.2.1");
    Map<String, String> fromB = new LinkedHashMap<>(RawWsClient.validHeaders(WsTestNodes.GENESIS));
    fromB.put("X-Forwarded-For", "192.0.2.2");
    assertThat(upgrade(n, fromA).status).isEqualTo(101);
    assertThat(upgrade(n, fromB).status).isEqualTo(101);
    WsTestNodes.awaitPeers(n, 2);
    assertThat(n.connectedPeers()).extracting(p -> java.net.InetAddress.getByAddress(p.routingAddress()).getHostAddress()).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    Map<String, String> againA = new LinkedHashMap<>(RawWsClient.validHeaders(WsTestNodes.GENESIS));
    againA.put("X-Forwarded-For", "192.0.2.1");
    assertThat(upgrade(n, againA).status).isEqualTo(503);
  }
}
