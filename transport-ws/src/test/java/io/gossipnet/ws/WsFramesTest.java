package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Frames: one binary message = tag + payload; limits, text frames, fragments, malformed input. */
class WsFramesTest {
  private static final String PATH = "/v1/" + WsTestNodes.GENESIS + "/gossip";
  /** A test tag with a small limit. */
  private static final Tag SMALL = Tag.of("ZZ", 1000, false, false);
  private WsTestNodes nodes;
  private WsNetwork server;
  private List<IncomingMessage> received;
  private List<IncomingMessage> receivedTx;

  @BeforeEach
  void setUp() {
    nodes = new WsTestNodes();
    server = nodes.start(b -> b.tags(Tags.defaultsPlus(SMALL)));
    received = WsTestNodes.record(server, SMALL);
    receivedTx = WsTestNodes.record(server, Tags.TX);
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  private RawWsClient connect() throws Exception {
    RawWsClient c = RawWsClient.upgrade(server.localPort(), PATH, RawWsClient.validHeaders(WsTestNodes.GENESIS));
    assertThat(c.status).isEqualTo(101);
    WsTestNodes.awaitPeers(server, 1);
    return c;
  }

  private void awaitClosedWith(DisconnectReason reason) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPeers().isEmpty());
    assertThat(server.metrics().disconnectCount(reason)).isEqualTo(1);
  }

  @Test
  void aMessageAtTheTagLimitIsDelivered() throws Exception {
    try (RawWsClient c = connect()) {
      byte[] payload = new byte[1000];
      Arrays.fill(payload, (byte) 7);
      c.sendMessage("ZZ", payload);
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
      assertThat(received.get(0).data()).isEqualTo(payload);
      assertThat(server.connectedPeers()).hasSize(1);
    }
  }

  @Test
  void aMessageOverTheTagLimitClosesThePeerWithReadError() throws Exception {
    try (RawWsClient c = connect()) {
      c.sendMessage("ZZ", new byte[1001]);
      assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
      awaitClosedWith(DisconnectReason.READ_ERROR);
      assertThat(received).isEmpty();
    }
  }

  @Test
  void aFragmentedMessageIsReassembledAndItsLimitCheckedAcrossFragments() throws Exception {
    try (RawWsClient c = connect()) {
      c.sendFrame(RawWsClient.BINARY, new byte[] {'Z'}, false);
      c.sendFrame(RawWsClient.CONTINUATION, new byte[] {'Z', 1, 2}, false);
      c.sendFrame(RawWsClient.CONTINUATION, new byte[] {3, 4}, true);
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
      assertThat(received.get(0).data()).containsExactly(1, 2, 3, 4);
      c.sendFrame(RawWsClient.BINARY, new byte[] {'Z', 'Z'}, false);
      for (int i = 0; i < 3; i++) {
        c.sendFrame(RawWsClient.CONTINUATION, new byte[400], false);
      }
      assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
      awaitClosedWith(DisconnectReason.READ_ERROR);
    }
  }

  @Test
  void aTextFrameClosesThePeerAndTheNodeKeepsServingOthers() throws Exception {
    try (RawWsClient c = connect()) {
      c.sendFrame(RawWsClient.TEXT, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
      assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo(1003);
      awaitClosedWith(DisconnectReason.READ_ERROR);
    }
    try (RawWsClient again = connect()) {
      again.sendMessage("ZZ", new byte[] {9});
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    }
  }

  @Test
  void aMessageShorterThanItsTagClosesThePeer() throws Exception {
    try (RawWsClient c = connect()) {
      c.sendFrame(RawWsClient.BINARY, new byte[] {'Z'}, true);
      assertThat(c.awaitClose(Duration.ofSeconds(10))).isPositive();
      awaitClosedWith(DisconnectReason.READ_ERROR);
    }
  }

  @Test
  void aMessageOverTheSixMebibyteReadLimitClosesThePeerWithoutBufferingPastTheLimit() throws Exception {
    try (RawWsClient c = connect()) {
      // An unknown tag has the global limit; the message is 100 bytes over it.
      byte[] payload = new byte[Tags.MAX_MESSAGE_LENGTH + 100];
      try {
        c.sendMessage("QQ", payload);
      } catch (java.net.SocketException refusedAtTheHeader) {
        // The node closed the connection before the payload was all written: what this is about.
      }
      assertThat(c.awaitClose(Duration.ofSeconds(20))).isIn(1009, 0);
      awaitClosedWith(DisconnectReason.READ_ERROR);
    }
  }

  @Test
  void aFrameWhoseHeaderAnnouncesMoreThanTheReadLimitIsRefusedAtItsHeader() throws Exception {
    try (RawWsClient c = connect()) {
      // 7 MiB announced, 10 bytes sent: the node answers 1009 without waiting for the rest (the
      // idle timeout is minutes away), as go-algorand's read limit does on a frame header.
      c.sendFrameStart(RawWsClient.BINARY, 7L << 20, new byte[] {'Q', 'Q', 0, 0, 0, 0, 0, 0, 0, 0}, true);
      assertThat(c.awaitClose(Duration.ofSeconds(5))).isEqualTo(1009);
      awaitClosedWith(DisconnectReason.READ_ERROR);
    }
  }

  @Test
  void aFrameUnderTheReadLimitArrivingInPiecesIsDelivered() throws Exception {
    try (RawWsClient c = connect()) {
      byte[] payload = new byte[900];
      Arrays.fill(payload, (byte) 5);
      byte[] message = new byte[payload.length + 2];
      message[0] = 'Z';
      message[1] = 'Z';
      System.arraycopy(payload, 0, message, 2, payload.length);
      c.sendFrameInPieces(RawWsClient.BINARY, message, 7);
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
      assertThat(received.get(0).data()).isEqualTo(payload);
    }
  }

  @Test
  void pingsAreAnsweredWithPongs() throws Exception {
    try (RawWsClient c = connect()) {
      c.sendFrame(RawWsClient.PING, new byte[] {1, 2, 3}, true);
      RawWsClient.Frame f;
      do {
        f = c.readFrame();
      } while (f.opcode() != 0xA);
      assertThat(f.payload()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void largeMessagesAtTheTxLimitGoThroughBetweenNodes() {
    WsNetwork b = nodes.start(c -> c.relayPeers(List.of("127.0.0.1:" + server.localPort())).gossipFanout(1));
    List<IncomingMessage> atServer = receivedTx;
    WsTestNodes.awaitPeers(b, 1);
    byte[] big = new byte[Tags.TX.maxPayloadSize()];
    big[big.length - 1] = 42;
    b.broadcast(Tags.TX, big, true, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> !atServer.isEmpty());
    assertThat(atServer.get(0).data()).hasSize(big.length).endsWith(42);
  }
}
