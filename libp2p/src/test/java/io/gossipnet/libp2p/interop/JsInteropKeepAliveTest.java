package io.gossipnet.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.protocol.Ping;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * js-libp2p's connection monitor pings every connection every 10 s and aborts it when a ping
 * fails; its Yamux sends keep-alive pings, and so does ours. Connections in both directions must
 * survive 30 s.
 */
class JsInteropKeepAliveTest {

  @Test
  void connectionsInBothDirectionsSurviveJsConnectionMonitorFor30Seconds() throws Exception {
    AtomicInteger inboundPings = new AtomicInteger();
    Ping ping = new Ping();
    // Our own Yamux keep-alive every 5 s: js must answer them too, or we would close.
    try (Host host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").keepAliveInterval(Duration.ofSeconds(5))
        .build().start();
        JsPeer dialedByJava = JsPeer.start(Map.of());
        JsPeer dialingJava = JsPeer.start(Map.of())) {
      host.setStreamHandler(Ping.PROTOCOL, s -> {
        inboundPings.incrementAndGet();
        ping.handle(s);
      });
      Connection outbound = host.dial(dialedByJava.address()).get(20, TimeUnit.SECONDS);
      dialingJava.call("dial", Map.of("addr", host.listenAddresses().get(0).withPeerId(host.peerId()).toString()),
          Duration.ofSeconds(20));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !host.connections(dialingJava.peerId()).isEmpty());
      Connection inbound = host.connections(dialingJava.peerId()).get(0);

      Awaitility.await().pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(32))
          .atMost(Duration.ofSeconds(45)).until(() -> outbound.isOpen() && inbound.isOpen());

      // Two connections, a monitor ping every 10 s on each: at least 4 pings in 32 s.
      assertThat(inboundPings.get()).isGreaterThanOrEqualTo(4);
      assertThat(dialedByJava.findEvent("connection:close", e -> true)).isNull();
      assertThat(dialingJava.findEvent("connection:close", e -> true)).isNull();
      assertThat(Ping.ping(outbound)).isPositive();
      assertThat(Ping.ping(inbound)).isPositive();
    }
  }
}
