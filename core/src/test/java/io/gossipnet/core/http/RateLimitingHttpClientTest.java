package io.gossipnet.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.phonebook.ConnectionWait;
import io.gossipnet.core.phonebook.Delayer;
import io.gossipnet.core.phonebook.Phonebook;
import io.gossipnet.core.phonebook.Role;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitingHttpClientTest {
  /** A nanosecond clock that only moves when a delayer waits on it. */
  private static final class FakeClock implements java.util.function.LongSupplier {
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);

    @Override
    public long getAsLong() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    Delayer advancingDelayer(List<Duration> record) {
      return d -> {
        record.add(d);
        advance(d);
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      };
    }
  }

  private final FakeClock clock = new FakeClock();
  private final Phonebook pb = new Phonebook(2, Duration.ofSeconds(1), clock);
  private final List<Duration> sleeps = new ArrayList<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final PeerHttpClient raw =
      new PeerHttpClient() {
        @Override
        public String address() {
          return "relay:4160";
        }

        @Override
        public HttpResponse send(HttpRequest request) throws IOException {
          sent.incrementAndGet();
          if (request.path().equals("/fail")) {
            throw new IOException("connection reset");
          }
          return HttpResponse.text(200, "ok " + request.path());
        }
      };

  RateLimitingHttpClientTest() {
    pb.addPersistentPeers(List.of("relay:4160"), "net", Role.RELAY);
  }

  private RateLimitingHttpClient client(Duration queueingTimeout) {
    return new RateLimitingHttpClient(raw, pb, queueingTimeout, clock.advancingDelayer(sleeps));
  }

  @Test
  void passesRequestsThroughUnderTheLimit() throws Exception {
    RateLimitingHttpClient client = client(RateLimitingHttpClient.DEFAULT_QUEUEING_TIMEOUT);

    assertThat(client.address()).isEqualTo("relay:4160");
    assertThat(client.send(HttpRequest.get("/a")).bodyText()).isEqualTo("ok /a");
    assertThat(client.send(HttpRequest.get("/b")).bodyText()).isEqualTo("ok /b");
    assertThat(sleeps).isEmpty();
    assertThat(sent).hasValue(2);
  }

  @Test
  void waitsForTheRateLimitWhenTheWaitFitsTheQueueingTimeout() throws Exception {
    RateLimitingHttpClient client = client(RateLimitingHttpClient.DEFAULT_QUEUEING_TIMEOUT);
    client.send(HttpRequest.get("/1"));
    clock.advance(Duration.ofMillis(100));
    client.send(HttpRequest.get("/2"));
    clock.advance(Duration.ofMillis(100));

    assertThat(client.send(HttpRequest.get("/3")).status()).isEqualTo(200);
    assertThat(sleeps).containsExactly(Duration.ofMillis(800));
    assertThat(sent).hasValue(3);
  }

  @Test
  void throwsRateLimitedBeyondTheQueueingTimeout() throws Exception {
    RateLimitingHttpClient client = client(Duration.ofMillis(500));
    client.send(HttpRequest.get("/1"));
    client.send(HttpRequest.get("/2"));

    assertThatThrownBy(() -> client.send(HttpRequest.get("/3")))
        .isInstanceOf(PeerHttpClient.RateLimitedException.class)
        .hasMessageContaining("relay:4160")
        .hasMessageContaining("1000 ms")
        .hasMessageContaining("queueing timeout of 500 ms");
    assertThat(sleeps).isEmpty();
    assertThat(sent).hasValue(2);
  }

  @Test
  void theQueueingTimeoutCoversAllWaitsOfOneRequest() throws Exception {
    // another client takes each slot as soon as it frees up
    Delayer competing =
        d -> {
          sleeps.add(d);
          clock.advance(d);
          pb.getConnectionWaitTime("relay:4160");
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        };
    RateLimitingHttpClient client =
        new RateLimitingHttpClient(raw, pb, Duration.ofMillis(1500), competing);
    client.send(HttpRequest.get("/1"));
    clock.advance(Duration.ofMillis(400));
    client.send(HttpRequest.get("/2"));

    assertThatThrownBy(() -> client.send(HttpRequest.get("/3")))
        .isInstanceOf(PeerHttpClient.RateLimitedException.class);
    // request 3 starts at t=400 ms (deadline 1900 ms): waits until 1000, then until 1400; the
    // next slot would only free at 2000 ms, past the deadline
    assertThat(sleeps).containsExactly(Duration.ofMillis(600), Duration.ofMillis(400));
    assertThat(sent).hasValue(2);
  }

  @Test
  void recordsTheConnectionTimeEvenWhenTheRequestFails() throws Exception {
    RateLimitingHttpClient client = client(Duration.ZERO);
    ConnectionWait first = pb.getConnectionWaitTime("relay:4160");
    pb.updateConnectionTime("relay:4160", first.provisionalTime());
    clock.advance(Duration.ofMillis(10));

    assertThatThrownBy(() -> client.send(HttpRequest.get("/fail")))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    assertThat(pb.getConnectionWaitTime("relay:4160").waitTime())
        .isEqualTo(Duration.ofMillis(990));
  }

  @Test
  void addressesNotInThePhonebookAreNotLimited() throws Exception {
    pb.remove("relay:4160");
    RateLimitingHttpClient client = client(Duration.ZERO);
    for (int i = 0; i < 10; i++) {
      client.send(HttpRequest.get("/" + i));
    }
    assertThat(sent).hasValue(10);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void interruptedWhileWaitingFailsWithInterruptedIo() throws Exception {
    RateLimitingHttpClient client =
        new RateLimitingHttpClient(
            raw,
            pb,
            RateLimitingHttpClient.DEFAULT_QUEUEING_TIMEOUT,
            d -> new java.util.concurrent.CompletableFuture<>());
    client.send(HttpRequest.get("/1"));
    client.send(HttpRequest.get("/2"));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> client.send(HttpRequest.get("/3")))
          .isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(sent).hasValue(2);
  }
}
