package io.gossipnet.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.protocol.Ping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two of our hosts on loopback: the whole stack, limits and events. */
class HostToHostTest {
  private static final String ECHO = "/test/echo/1.0.0";

  private static Host listener(HostConfig.Builder b) throws Libp2pException {
    Host h = b.listen("/ip4/127.0.0.1/tcp/0").build().start();
    h.setStreamHandler(ECHO, s -> {
      s.in().transferTo(s.out());
      s.closeWrite();
    });
    return h;
  }

  private static byte[] echo(Connection c, byte[] data) throws Exception {
    Stream s = c.newStream(ECHO).get(10, TimeUnit.SECONDS);
    CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
      try {
        s.out().write(data);
        s.closeWrite();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    byte[] back = s.in().readAllBytes();
    w.get(30, TimeUnit.SECONDS);
    s.close();
    return back;
  }

  @ParameterizedTest(name = "early muxer negotiation: {0}")
  @ValueSource(booleans = {true, false})
  void hostsConnectIdentifyPingAndMoveEightMebibytes(boolean early) throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Host a = listener(Host.builder().earlyMuxerNegotiation(early));
        Host b = Host.builder().earlyMuxerNegotiation(early).agentVersion("b/1").build().start()) {
      a.addConnectionListener(new ConnectionListener() {
        @Override
        public void connected(Connection c) {
          events.add("up " + c.direction());
        }

        @Override
        public void disconnected(Connection c, String reason) {
          events.add("down " + reason);
        }
      });
      Connection c = b.dial(a.listenAddresses().get(0).withPeerId(a.peerId())).get(10, TimeUnit.SECONDS);
      assertThat(c.earlyMuxerNegotiated()).isEqualTo(early);
      IdentifyInfo info = c.identify().get(10, TimeUnit.SECONDS);
      assertThat(info.protocols()).contains(ECHO, Ping.PROTOCOL);
      assertThat(info.signedPeerRecord().addresses()).isEqualTo(a.listenAddresses());
      assertThat(Ping.ping(c, 5)).hasSize(5);
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> a.connections(b.peerId()).stream().anyMatch(x -> x.identify().isDone()));
      assertThat(a.connections(b.peerId()).get(0).identify().get().agentVersion()).isEqualTo("b/1");

      byte[] data = new byte[8 << 20];
      new Random(3).nextBytes(data);
      assertThat(echo(c, data)).isEqualTo(data);

      c.close();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("down closed by remote"));
      assertThat(events).startsWith("up INBOUND");
    }
  }

  @Test
  void keepAlivePingsAreAnsweredSoIdleConnectionsStayOpen() throws Exception {
    try (Host a = listener(Host.builder().keepAliveInterval(Duration.ofSeconds(1)));
        Host b = Host.builder().keepAliveInterval(Duration.ofSeconds(1)).build().start()) {
      Connection c = b.dial(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      Awaitility.await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(6)).until(c::isOpen);
    }
  }

  @Test
  void wildcardListenAddressIsReportedPerInterfaceAndDnsAndIp6AddressesDial() throws Exception {
    try (Host a = Host.builder().listen("/ip4/0.0.0.0/tcp/0").listen("/ip6/::1/tcp/0").build().start();
        Host b = Host.builder().build().start()) {
      assertThat(a.listenAddresses()).noneMatch(m -> m.toString().startsWith("/ip4/0.0.0.0"));
      var loopback = a.listenAddresses().stream().filter(m -> m.toString().startsWith("/ip4/127.0.0.1/")).findFirst();
      assertThat(loopback).isPresent();
      int port = loopback.get().toTcpSocketAddress().getPort();
      var dns = io.gossipnet.libp2p.multiformats.Multiaddr.fromString("/dns4/localhost/tcp/" + port)
          .withPeerId(a.peerId());
      assertThat(Ping.ping(b.dial(dns).get(10, TimeUnit.SECONDS))).isPositive();
      var ip6 = a.listenAddresses().stream().filter(m -> m.toString().startsWith("/ip6/")).findFirst();
      assertThat(ip6).isPresent();
      try (Host b6 = Host.builder().build().start()) {
        Connection c6 = b6.dial(ip6.get().withPeerId(a.peerId())).get(10, TimeUnit.SECONDS);
        assertThat(c6.remoteAddress().toString()).startsWith("/ip6/");
        assertThat(Ping.ping(c6)).isPositive();
      }
    }
  }

  @Test
  void concurrentInboundPingStreamsAreAllServed() throws Exception {
    try (Host a = listener(Host.builder()); Host b = Host.builder().build().start()) {
      Connection c = b.dial(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      Stream first = c.newStream(Ping.PROTOCOL).get(10, TimeUnit.SECONDS);
      Stream second = c.newStream(Ping.PROTOCOL).get(10, TimeUnit.SECONDS);
      Stream third = c.newStream(Ping.PROTOCOL).get(10, TimeUnit.SECONDS);
      byte[] payload = new byte[Ping.SIZE];
      for (Stream s : List.of(third, first, second)) { // all three open at once, answered in any order
        new Random(s.hashCode()).nextBytes(payload);
        s.out().write(payload);
        assertThat(s.in().readNBytes(Ping.SIZE)).isEqualTo(payload);
      }
      for (Stream s : List.of(first, second, third)) {
        s.close();
      }
    }
  }

  @Test
  void unsupportedProtocolFailsTheStreamButNotTheConnection() throws Exception {
    try (Host a = listener(Host.builder()); Host b = Host.builder().build().start()) {
      Connection c = b.dial(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> c.newStream(List.of("/nope/1", "/nope/2")).join())
          .hasMessageContaining("remote supports none of [/nope/1, /nope/2]");
      assertThat(c.newStream(List.of("/nope/1", ECHO)).get(10, TimeUnit.SECONDS).protocol()).isEqualTo(ECHO);
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void connectionLimitsRefuseExtraInboundConnections() throws Exception {
    try (Host a = listener(Host.builder().connectionLimits(10, 1, 1));
        Host b = Host.builder().build().start();
        Host c = Host.builder().build().start()) {
      b.dial(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      // The dialer's side can finish before the listener has registered the connection.
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.connections().size() == 1);
      assertThatThrownBy(() -> c.dial(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      assertThat(a.connections()).extracting(Connection::remotePeerId).containsExactly(b.peerId());
    }
  }

  @Test
  void perPeerLimitClosesASecondConnectionFromTheSamePeer() throws Exception {
    try (Host a = listener(Host.builder().connectionLimits(10, 10, 1)); Host b = Host.builder().build().start()) {
      b.dial(a.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      // The dialer may finish its side of the handshake before the listener refuses it.
      b.dial(a.listenAddresses().get(0)).handle((c, e) -> c).get(10, TimeUnit.SECONDS);
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> a.connections(b.peerId()).size() == 1 && b.connections(a.peerId()).size() == 1);
    }
  }

  @Test
  void dialReusesTheOpenConnectionToAKnownPeerAndStreamsOpenByPeerId() throws Exception {
    try (Host a = listener(Host.builder()); Host b = Host.builder().build().start()) {
      var addr = a.listenAddresses().get(0).withPeerId(a.peerId());
      assertThatThrownBy(() -> b.newStream(a.peerId(), List.of(ECHO)).join()).hasMessageContaining("not connected");
      Connection first = b.dial(addr).get(10, TimeUnit.SECONDS);
      assertThat(b.dial(addr).get(10, TimeUnit.SECONDS)).isSameAs(first);
      Stream s = b.newStream(a.peerId(), List.of(ECHO)).get(10, TimeUnit.SECONDS);
      assertThat(s.connection()).isSameAs(first);
      s.close();
      assertThat(b.dump()).contains(a.peerId().toBase58(), "early muxer true");
    }
  }
}
