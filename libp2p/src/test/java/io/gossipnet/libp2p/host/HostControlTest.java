package io.gossipnet.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.testing.CloseAfterEach;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a transport built like go-algorand's P2P network asks of the host: connections it dialed
 * told apart from the others, protection and trimming, separate inbound and outbound limits,
 * streams negotiated from a preference list, reset versus close, and listening only when asked.
 */
class HostControlTest {
  private static final String MESH_TAG = "algorand-ws-mesh";
  private static final String V22 = "/algorand-ws/2.2.0";
  private static final String V1 = "/algorand-ws/1.0.0";
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final CloseAfterEach closeables = new CloseAfterEach();

  private Host listening(HostConfig.Builder b) throws Libp2pException {
    return closeables.add(b.listen("/ip4/127.0.0.1/tcp/0").build().start());
  }

  private Host listening() throws Libp2pException {
    return listening(Host.builder());
  }

  private static Multiaddr addressOf(Host h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }

  /** Records each event as "up|down DIRECTION protected|unprotected". */
  private static List<String> record(Host h) {
    List<String> events = new CopyOnWriteArrayList<>();
    h.addConnectionListener(new ConnectionListener() {
      @Override
      public void connected(Connection c) {
        events.add("up " + c.direction() + " " + tagOf(h, c.remotePeerId()));
      }

      @Override
      public void disconnected(Connection c, String reason) {
        events.add("down " + c.direction() + " " + reason);
      }
    });
    return events;
  }

  private static String tagOf(Host h, PeerId peer) {
    return h.connectionManager().isProtected(peer, MESH_TAG) ? "protected" : "unprotected";
  }

  @Test
  void theConnectedEventTellsTheDirectionAndWhetherWeAskedForTheConnectionWithConnect() throws Exception {
    Host us = listening();
    Host relay = listening();
    Host dhtPeer = listening();
    Host dialer = listening();
    List<String> events = record(us);
    us.connect(addressOf(relay), MESH_TAG).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> events.size() == 1);
    // a plain dial, as the DHT or pubsub make them: outbound but not protected
    us.dial(addressOf(dhtPeer)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> events.size() == 2);
    dialer.dial(addressOf(us)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> events.size() == 3);
    assertThat(events).containsExactly("up OUTBOUND protected", "up OUTBOUND unprotected", "up INBOUND unprotected");
    assertThat(us.connectionManager().isProtected(relay.peerId(), MESH_TAG)).isTrue();

    us.closePeer(dhtPeer.peerId());
    dialer.closePeer(us.peerId());
    await().atMost(WAIT).until(() -> events.size() == 5);
    assertThat(events.subList(3, 5)).containsExactlyInAnyOrder("down OUTBOUND closed locally",
        "down INBOUND closed by remote");
  }

  @Test
  void aFailedConnectTakesBackTheProtectionItAdded() throws Exception {
    Host us = listening();
    PeerId nobody = PrivateKey.generate().peerId();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Multiaddr dead = Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + nobody);
    assertThatThrownBy(() -> us.connect(dead, MESH_TAG).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThat(us.connectionManager().isProtected(nobody, MESH_TAG)).isFalse();
    assertThatThrownBy(() -> us.connect(Multiaddr.fromString("/ip4/127.0.0.1/tcp/1"), MESH_TAG))
        .hasMessageContaining("/p2p/");
    assertThatThrownBy(() -> us.connect(dead, "")).hasMessageContaining("tag");
  }

  @Test
  void aStreamNegotiatesTheFirstProtocolOfThePreferenceListThatThePeerServes() throws Exception {
    Host newer = listening();
    Host older = listening();
    newer.setStreamHandler(V22, s -> s.out().write('2'));
    newer.setStreamHandler(V1, s -> s.out().write('1'));
    older.setStreamHandler(V1, s -> s.out().write('1'));
    Host us = listening();
    us.dial(addressOf(newer)).get(10, TimeUnit.SECONDS);
    us.dial(addressOf(older)).get(10, TimeUnit.SECONDS);

    Stream toNewer = us.newStream(newer.peerId(), List.of(V22, V1)).get(10, TimeUnit.SECONDS);
    Stream toOlder = us.newStream(older.peerId(), List.of(V22, V1)).get(10, TimeUnit.SECONDS);
    assertThat(toNewer.protocol()).isEqualTo(V22);
    assertThat(toOlder.protocol()).isEqualTo(V1);
    assertThat(toNewer.in().read()).isEqualTo('2');
    assertThat(toOlder.in().read()).isEqualTo('1');
    toNewer.close();
    toOlder.close();
    assertThatThrownBy(() -> us.newStream(older.peerId(), List.of(V22)).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(Libp2pException.class);
    assertThat(us.connections(older.peerId())).allMatch(Connection::isOpen);
  }

  @Test
  void theRemoteReadsAnOrderlyEndAfterCloseButAnErrorAfterReset() throws Exception {
    Host server = listening();
    List<String> outcomes = new CopyOnWriteArrayList<>();
    server.setStreamHandler(V22, s -> {
      try {
        outcomes.add(s.in().read() == -1 ? "end" : "data");
      } catch (IOException e) {
        outcomes.add("error: " + e.getMessage());
      }
    });
    Host us = listening();
    Connection c = us.dial(addressOf(server)).get(10, TimeUnit.SECONDS);
    c.newStream(V22).get(10, TimeUnit.SECONDS).close();
    await().atMost(WAIT).until(() -> outcomes.size() == 1);
    c.newStream(V22).get(10, TimeUnit.SECONDS).reset();
    await().atMost(WAIT).until(() -> outcomes.size() == 2);
    assertThat(outcomes).containsExactly("end", "error: stream reset by remote");
    assertThat(c.isOpen()).as("neither ends the connection").isTrue();
  }

  @Test
  void closingTheConnectionOfAStreamDisconnectsThePeer() throws Exception {
    Host server = listening();
    server.setStreamHandler(V22, s -> s.in().read());
    List<String> serverEvents = record(server);
    Host us = listening();
    Stream s = us.dial(addressOf(server)).get(10, TimeUnit.SECONDS).newStream(V22).get(10, TimeUnit.SECONDS);
    s.connection().close(); // go-algorand's CloseWithoutFlush: reset the stream and close the connection
    await().atMost(WAIT).until(() -> serverEvents.contains("down INBOUND closed by remote"));
    assertThat(us.connections(server.peerId())).isEmpty();
  }

  @Test
  void aHostDialsAndServesStreamsBeforeItIsStartedAndWithoutListenAddressesItNeverListens() throws Exception {
    Host server = listening();
    server.setStreamHandler(V22, s -> s.out().write('x'));
    Host client = closeables.add(Host.builder().build()); // go-algorand: NoListenAddrs, no NetAddress
    client.setStreamHandler(V1, s -> s.out().write('y'));
    Connection c = client.dial(addressOf(server)).get(10, TimeUnit.SECONDS);
    try (Stream s = c.newStream(V22).get(10, TimeUnit.SECONDS)) {
      assertThat(s.in().read()).isEqualTo('x');
    }
    // the server opens a stream back on the connection the client dialed
    try (Stream back = server.newStream(client.peerId(), List.of(V1)).get(10, TimeUnit.SECONDS)) {
      assertThat(back.in().read()).isEqualTo('y');
    }
    client.start();
    assertThat(client.listenAddresses()).isEmpty();
    assertThat(server.connections(client.peerId())).singleElement()
        .satisfies(x -> assertThat(x.direction()).isEqualTo(Direction.INBOUND));
  }

  @Test
  void theOutboundLimitRefusesFurtherDialsUntilAnOutboundConnectionClosesAndLeavesInboundAlone() throws Exception {
    Host us = listening(Host.builder().maxOutboundConnections(1));
    Host a = listening();
    Host b = listening();
    Connection toA = us.dial(addressOf(a)).get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> us.dial(addressOf(b)).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("outbound connection limit 1 reached");
    b.dial(addressOf(us)).get(10, TimeUnit.SECONDS); // inbound is counted apart
    await().atMost(WAIT).until(() -> us.connections().size() == 2);
    assertThat(us.dial(addressOf(a)).get(10, TimeUnit.SECONDS)).as("reusing a connection is no new dial").isSameAs(toA);
    toA.close();
    Host c = listening();
    await().atMost(WAIT).ignoreExceptions().until(() -> us.dial(addressOf(c)).get(10, TimeUnit.SECONDS).isOpen());
    assertThat(us.dump()).contains("outbound 1", "1 out");
  }

  @Test
  void atTheHighWatermarkTheOldestUnprotectedPeersAreTrimmedToTheLowWatermark() throws Exception {
    Host hub = listening(Host.builder()
        .connectionManager(new ConnectionManagerConfig(1, 3, Duration.ZERO, Duration.ofMillis(100))));
    List<String> events = record(hub);
    Host oldest = listening();
    Host newer = listening();
    Host relay = listening();
    hub.connectionManager().protect(relay.peerId(), MESH_TAG);
    for (Host h : List.of(oldest, newer)) {
      h.dial(addressOf(hub)).get(10, TimeUnit.SECONDS);
      // identify done and its streams closed: an open stream would rank the peer after idle ones
      // (and the hub has registered the connection: the dialer's side can finish first)
      await().atMost(WAIT).until(() -> !hub.connections(h.peerId()).isEmpty() && hub.connections(h.peerId()).stream()
          .allMatch(c -> c.identify().isDone() && c.streamCount() == 0));
    }
    assertThat(hub.connections()).hasSize(2); // below the high watermark: nothing trimmed
    relay.dial(addressOf(hub)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> hub.connections().size() == 2 && hub.connections(oldest.peerId()).isEmpty());
    assertThat(hub.connections()).extracting(Connection::remotePeerId)
        .containsExactlyInAnyOrder(newer.peerId(), relay.peerId());
    assertThat(events).contains("down INBOUND trimmed by the connection manager");
    assertThat(hub.connectionManager().trimmedConnections()).isEqualTo(1);
    assertThat(hub.dump()).contains("connection manager low 1 high 3");
  }

  @Test
  void withoutWatermarksNothingIsTrimmed() throws Exception {
    Host hub = listening();
    assertThat(hub.config().connectionManager().trimmingEnabled()).isFalse();
    for (int i = 0; i < 3; i++) {
      listening().dial(addressOf(hub)).get(10, TimeUnit.SECONDS);
    }
    // The dialers' sides can finish before the hub has registered their connections.
    await().atMost(WAIT).until(() -> hub.connections().size() == 3);
    assertThat(hub.connectionManager().trim()).isZero();
    assertThat(hub.connections()).hasSize(3);
  }

  @Test
  void limitsAreValidatedByName() {
    assertThatThrownBy(() -> Host.builder().maxOutboundConnections(0).config())
        .hasMessageContaining("maxOutboundConnections");
    assertThat(Host.builder().maxOutboundConnections(HostConfig.UNLIMITED).config().maxOutboundConnections())
        .isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> Host.builder().connectionManager(8, 4, Duration.ofSeconds(20)))
        .hasMessageContaining("lowWater 8 above highWater 4");
  }
}
