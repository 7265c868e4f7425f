package io.gossipnet.libp2p.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.host.Host;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mounts, the protocol map and the server's limits, between two of our hosts on loopback. */
class HttpServerTest {
  private final HttpServer server = new HttpServer(1024);
  private final AtomicInteger bodiesRead = new AtomicInteger();
  private Host serving;
  private Host calling;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    serving = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    serving.setStreamHandler(HttpServer.PROTOCOL, server);
    calling = Host.builder().build().start();
    connection = calling.dial(serving.listenAddresses().get(0).withPeerId(serving.peerId())).get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    calling.close();
    serving.close();
  }

  private HttpResponse send(HttpRequest r) throws Exception {
    return new HttpClient().send(connection, r);
  }

  private static HttpHandler says(String text) {
    return req -> HttpResponse.text(200, "text/plain", text + " " + req.target());
  }

  @Test
  void theMountWithTheLongestPrefixServesThePathAndEverythingBelowIt() throws Exception {
    server.mount("/app/1.0.0", "/", says("root"));
    server.mount("/v1/1.0.0", "/v1", says("v1"));
    server.mount("/v1-block/1.0.0", "/v1/block/", says("block"));
    assertThat(send(HttpRequest.get("/v1/block/7?x=1")).bodyText()).isEqualTo("block /v1/block/7?x=1");
    assertThat(send(HttpRequest.get("/v1/block")).bodyText()).isEqualTo("block /v1/block");
    assertThat(send(HttpRequest.get("/v1/blocks")).bodyText()).isEqualTo("v1 /v1/blocks");
    assertThat(send(HttpRequest.get("/v1")).bodyText()).isEqualTo("v1 /v1");
    assertThat(send(HttpRequest.get("/v10")).bodyText()).isEqualTo("root /v10");
  }

  @Test
  void aPathUnderNoMountIs404AndTheProtocolMapListsTheMounts() throws Exception {
    server.mount("/algorand-http/1.0.0", "/algorand", says("a"));
    server.mount(null, "/hidden", says("h"));
    assertThat(send(HttpRequest.get("/elsewhere")).status()).isEqualTo(404);
    HttpResponse map = send(HttpRequest.get(HttpServer.WELL_KNOWN_PATH));
    assertThat(map.status()).isEqualTo(200);
    assertThat(map.bodyText()).isEqualTo("{\"/algorand-http/1.0.0\":{\"path\":\"/algorand\"}}");
    assertThat(send(HttpRequest.post(HttpServer.WELL_KNOWN_PATH, "text/plain", "x")).status()).isEqualTo(405);
  }

  @Test
  void aMountsAdmissionAnswersFromTheHeadWithoutReadingTheBody() throws Exception {
    server.mount("/r/1.0.0", "/", new HttpHandler() {
      @Override
      public HttpResponse handle(HttpRequest request) {
        bodiesRead.incrementAndGet();
        return HttpResponse.text(200, "text/plain", "handled");
      }

      @Override
      public HttpResponse admit(String method, String target, long declaredLength) {
        return target.startsWith("/refused") ? HttpResponse.text(405, "text/plain", method + " " + declaredLength) : null;
      }
    });
    HttpResponse r = send(HttpRequest.post("/refused", "text/plain", "12345"));
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.bodyText()).isEqualTo("POST 5");
    assertThat(bodiesRead).hasValue(0);
    assertThat(send(HttpRequest.post("/taken", "text/plain", "12345")).bodyText()).isEqualTo("handled");
    assertThat(bodiesRead).hasValue(1);
  }

  @Test
  void aBodyOverTheLimitIs413AndTheHandlerNeverRuns() throws Exception {
    server.mount("/r/1.0.0", "/", req -> {
      bodiesRead.incrementAndGet();
      return HttpResponse.text(200, "text/plain", "handled");
    });
    HttpResponse declared = send(new HttpRequest("POST", "/x", Map.of(), new byte[1025]));
    assertThat(declared.status()).isEqualTo(413);
    HttpResponse chunked = send(new HttpRequest("POST", "/x", Map.of("transfer-encoding", List.of("chunked")),
        ("401\r\n" + "a".repeat(0x401) + "\r\n0\r\n\r\n").getBytes()));
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(bodiesRead).hasValue(0);
    assertThat(send(new HttpRequest("POST", "/x", Map.of(), new byte[1024])).status()).isEqualTo(200);
  }

  @Test
  void aFailingHandlerIs500WithoutItsMessageAndTheServerKeepsServing() throws Exception {
    server.mount(null, "/boom", req -> {
      throw new IllegalStateException("secret detail");
    });
    server.mount(null, "/ok", says("ok"));
    HttpResponse boom = send(HttpRequest.get("/boom"));
    assertThat(boom.status()).isEqualTo(500);
    assertThat(boom.bodyText()).doesNotContain("secret");
    assertThat(send(HttpRequest.get("/ok")).status()).isEqualTo(200);
  }

  @Test
  void aPeerSendingMoreConcurrentRequestsThanTheLimitIsAnswered503AndTheOtherPeerIsServed() throws Exception {
    server.mount(null, "/upload", req -> {
      bodiesRead.incrementAndGet();
      return HttpResponse.text(200, "text/plain", "got " + req.body().length);
    });
    server.mount(null, "/status", says("ok"));
    Connection honest;
    Host other = Host.builder().build().start();
    try {
      honest = other.dial(serving.listenAddresses().get(0).withPeerId(serving.peerId())).get(10, TimeUnit.SECONDS);
      assertThat(new HttpClient().send(honest, HttpRequest.get("/status")).status()).isEqualTo(200);
      // 40 requests on one connection, each body half sent: the server reads them whole before
      // its handler runs, so each one it takes holds its body until the rest arrives
      int limit = HttpServer.DEFAULT_MAX_CONCURRENT_REQUESTS_PER_CONNECTION;
      int flood = 40;
      byte[] head = "POST /upload HTTP/1.1\r\ncontent-length: 1000\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      List<io.gossipnet.libp2p.Stream> streams = new java.util.ArrayList<>();
      for (int i = 0; i < flood; i++) {
        io.gossipnet.libp2p.Stream st = connection.newStream(HttpServer.PROTOCOL).get(10, TimeUnit.SECONDS);
        st.out().write(head);
        st.out().write(new byte[500]);
        st.out().flush();
        streams.add(st);
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> server.metric("request.refused.concurrency") == flood - limit);
      assertThat(server.requestsInFlight()).isEqualTo(limit);
      assertThat(new HttpClient().send(honest, HttpRequest.get("/status")).status()).isEqualTo(200);
      java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
      for (io.gossipnet.libp2p.Stream st : streams) {
        st.out().write(new byte[500]);
        st.out().flush();
        HttpWire.Head h = HttpWire.readHead(st.in());
        statuses.merge(Integer.parseInt(h.startLine()[1]), 1, Integer::sum);
        st.close();
      }
      assertThat(statuses).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(200, limit, 503, flood - limit)));
      assertThat(bodiesRead).hasValue(limit);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> server.requestsInFlight() == 0);
      assertThat(new HttpClient().send(honest, HttpRequest.get("/status")).status()).isEqualTo(200);
    } finally {
      other.close();
    }
  }

  @Test
  void aMalformedContentLengthIs400() throws Exception {
    server.mount(null, "/", says("x"));
    HttpResponse r = send(new HttpRequest("POST", "/x", Map.of("content-length", List.of("abc"), "transfer-encoding", List.of("identity")), new byte[0]));
    assertThat(r.status()).isEqualTo(400);
  }
}
