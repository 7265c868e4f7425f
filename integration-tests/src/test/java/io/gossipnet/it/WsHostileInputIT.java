package io.gossipnet.it;

import static io.gossipnet.testcontainers.GossipnetCluster.awaitReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gossipnet.testcontainers.GossipnetCluster;
import io.gossipnet.testcontainers.NodeTransport;
import io.gossipnet.testcontainers.GossipnetContainer;
import io.gossipnet.testcontainers.RequiresDocker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A node started with {@code gossipnet run} keeps answering {@code /status} and keeps serving its
 * valid peers after malformed requests, refused handshakes and bad frames sent to its port from
 * outside the mesh (the test JVM, through the mapped port).
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class WsHostileInputIT {
  private static final String GENESIS = "gossipnet-it-hostile-v1";
  private static final String VERSION = "2.2";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GossipnetCluster cluster;
  private GossipnetContainer target;

  @BeforeAll
  void startCluster() {
    cluster = GossipnetCluster.builder(NodeTransport.WS, GENESIS).nodes(3).start();
    cluster.awaitPeers(2, Duration.ofSeconds(60));
    target = cluster.node(0);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void garbageBytesGetTheConnectionClosed() throws IOException {
    byte[] garbage = new byte[4096];
    ThreadLocalRandom.current().nextBytes(garbage);
    try (Socket socket = connect()) {
      socket.getOutputStream().write(garbage);
      socket.getOutputStream().flush();
      assertThat(readUntilClosed(socket)).as("the node answers garbage with an error or nothing, then closes")
          .satisfiesAnyOf(text -> assertThat(text).isEmpty(), text -> assertThat(text).startsWith("HTTP/1.1 4"));
    }
    assertServing();
  }

  @Test
  @Order(2)
  void oversizedHeadersAreRefused() throws IOException {
    String request =
        "GET /status HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(256 * 1024) + "\r\nConnection: close\r\n\r\n";
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // The node may close the connection before it has read the whole header: refused too.
      }
      String answer = readUntilClosed(socket);
      assertThat(answer).as("answer to a 256 KiB header").satisfiesAnyOf(
          text -> assertThat(text).isEmpty(), text -> assertThat(text).startsWith("HTTP/1.1 4"));
    }
    assertServing();
  }

  @Test
  @Order(3)
  void handshakesWithWrongVariablesAreRefused() {
    Map<String, String> valid = validHeaders();
    assertRefused("/v1/another-genesis/gossip", valid, 412);
    assertRefused("/v1/" + GENESIS + "/gossip", without(valid, "X-Algorand-NodeRandom"), 412);
    assertRefused("/v1/" + GENESIS + "/gossip", with(valid, "X-Algorand-Version", "0.1", "X-Algorand-Accept-Version", "0.1"), 412);
    assertRefused("/v1/" + GENESIS + "/gossip", with(valid, "X-Algorand-IdentityChallenge", "not base64 msgpack!"), 412);
    assertServing();
  }

  @Test
  @Order(4)
  void aTextFrameGetsThePeerClosed() {
    Peer peer = openValidPeer();
    peer.socket.sendText("hello", true);
    peer.awaitClosed();
    assertServing();
  }

  @Test
  @Order(5)
  void aFrameOverTheReadLimitGetsThePeerClosed() {
    Peer peer = openValidPeer();
    ByteBuffer big = ByteBuffer.allocate(7 * 1024 * 1024);
    big.put(0, (byte) 'T').put(1, (byte) 'X');
    peer.socket.sendBinary(big, true);
    peer.awaitClosed();
    assertServing();
  }

  @Test
  @Order(6)
  void theValidPeersStillGossipAfterAllThat() {
    assertThat(target.http().peers()).as("node0 keeps its valid peers").isGreaterThanOrEqualTo(2);
    String fromTarget = target.http().broadcast(message("from node0 after the hostile input"));
    awaitReceived(Set.of(fromTarget), Duration.ofSeconds(60), cluster.except(target));
    String toTarget = cluster.node(1).http().broadcast(message("from node1 after the hostile input"));
    awaitReceived(Set.of(toTarget), Duration.ofSeconds(60), cluster.except(cluster.node(1)));
  }

  private void assertServing() {
    await("node0 answers /status and keeps its valid peers")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> target.http().peers() >= 2);
  }

  private Socket connect() throws IOException {
    URI base = target.mappedBase();
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(15_000);
    return socket;
  }

  /** Reads what the node sends until it closes the connection (a read timeout fails the test). */
  private static String readUntilClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (java.net.SocketException e) {
      // A reset is a close too.
    }
    return text.toString();
  }

  private static Map<String, String> validHeaders() {
    byte[] random = new byte[10];
    ThreadLocalRandom.current().nextBytes(random);
    return Map.of(
        "X-Algorand-Version", VERSION,
        "X-Algorand-Accept-Version", VERSION,
        "X-Algorand-NodeRandom", Base64.getEncoder().encodeToString(random),
        "X-Algorand-Genesis", GENESIS,
        "X-Algorand-InstanceName", "hostile-test",
        "User-Agent", "gossipnet-it-hostile");
  }

  private static Map<String, String> without(Map<String, String> headers, String name) {
    Map<String, String> copy = new java.util.HashMap<>(headers);
    copy.remove(name);
    return copy;
  }

  private static Map<String, String> with(Map<String, String> headers, String... pairs) {
    Map<String, String> copy = new java.util.HashMap<>(headers);
    for (int i = 0; i < pairs.length; i += 2) {
      copy.put(pairs[i], pairs[i + 1]);
    }
    return copy;
  }

  private CompletableFuture<WebSocket> open(String path, Map<String, String> headers, Peer listener) {
    URI base = target.mappedBase();
    WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach((name, value) -> {
      if (!name.equals("User-Agent")) {
        builder.header(name, value);
      }
    });
    return builder.buildAsync(URI.create("ws://" + base.getHost() + ":" + base.getPort() + path), listener);
  }

  private void assertRefused(String path, Map<String, String> headers, int status) {
    assertThatThrownBy(() -> open(path, headers, new Peer()).join())
        .as("handshake on %s with %s", path, headers.keySet())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode()).isEqualTo(status));
  }

  private Peer openValidPeer() {
    Peer peer = new Peer();
    peer.socket = open("/v1/" + GENESIS + "/gossip", validHeaders(), peer).orTimeout(20, TimeUnit.SECONDS).join();
    return peer;
  }

  private static byte[] message(String text) {
    return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }

  /** A raw WebSocket peer that reads everything and records when the node closes it. */
  private static final class Peer implements WebSocket.Listener {
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(null);
    }

    void awaitClosed() {
      await("the node closes the bad peer")
          .atMost(Duration.ofSeconds(30))
          .until(closed::isDone);
    }
  }
}
