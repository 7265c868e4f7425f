package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.core.http.HttpResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A libp2p connection that closes under an HTTP request (in a hybrid node, the duplicate gossip
 * stream on it was closed): an idempotent request is sent again on a new connection, another is
 * not.
 */
class P2PHttpRetryTest {
  private static final String GENESIS = "p2p-http-retry-v1";
  private P2PNetwork server;
  private P2PNetwork client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.stop();
    }
    if (server != null) {
      server.stop();
    }
  }

  private void start(AtomicInteger calls) {
    server = new P2PNetwork(NetworkConfig.builder(GENESIS).listenAddress("127.0.0.1:0").gossipFanout(0).build(),
        P2PConfig.defaults(), new SimpleMeterRegistry());
    client = new P2PNetwork(NetworkConfig.builder(GENESIS).gossipFanout(0).build(), P2PConfig.defaults(), new SimpleMeterRegistry());
    // The first call closes every connection to the caller before answering.
    server.registerHttpHandler("/thing", Set.of(), req -> {
      if (calls.incrementAndGet() == 1) {
        server.transport().host().orElseThrow().closePeer(client.peerId());
      }
      return HttpResponse.text(200, "thing " + calls.get());
    });
    server.start();
    client.start();
  }

  @Test
  void anIdempotentRequestWhoseConnectionClosedIsSentAgainOnANewConnection() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    start(calls);
    HttpResponse r = client.httpClient(server.address().orElseThrow()).send(HttpRequest.get("/thing"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("thing 2");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aPostWhoseConnectionClosedIsNotSentAgain() {
    AtomicInteger calls = new AtomicInteger();
    start(calls);
    assertThatThrownBy(() -> client.httpClient(server.address().orElseThrow())
            .send(new HttpRequest("POST", "/thing", "", Map.of(), Map.of(), new byte[] {1})))
        .isInstanceOf(IOException.class);
    assertThat(calls).as("the handler ran once").hasValue(1);
  }
}
