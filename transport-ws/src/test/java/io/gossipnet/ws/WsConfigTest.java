package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** WsConfig validation, address forms and the per-host connection-rate window. */
class WsConfigTest {
  @Test
  void defaultsAreTheSeeds() {
    WsConfig c = WsConfig.defaults();
    assertThat(c.gossipPath()).isEqualTo("/v1/{genesisID}/gossip");
    assertThat(c.maxHeaderSize()).isEqualTo(4096);
    assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxMessageSize()).isEqualTo(6 * 1024 * 1024 + 2);
    assertThat(c.headers().nodeRandom()).isEqualTo("X-Algorand-NodeRandom");
    assertThat(c.disableLocalhostConnectionRateLimit()).isTrue();
    assertThat(c.tls()).isFalse();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void badSettingsAreRejectedWithTheSettingsName() {
    assertThatThrownBy(() -> WsConfig.builder().gossipPath("gossip").build()).hasMessageContaining("gossipPath");
    assertThatThrownBy(() -> WsConfig.builder().maxOutstandingFrames(0).build()).hasMessageContaining("maxOutstandingFrames");
    assertThatThrownBy(() -> WsConfig.builder().handshakeTimeout(Duration.ZERO).build()).hasMessageContaining("handshakeTimeout");
    assertThatThrownBy(() -> WsConfig.builder().supportedVersions(List.of()).build()).hasMessageContaining("supportedVersions");
    assertThatThrownBy(() -> WsConfig.builder().userAgent("bad\n").build()).hasMessageContaining("userAgent");
    assertThatThrownBy(() -> WsConfig.builder().tls(Path.of("/nonexistent.pem"), null).build()).hasMessageContaining("tlsCertFile and tlsKeyFile");
    assertThatThrownBy(() -> WsConfig.builder().tls(Path.of("/nonexistent.pem"), Path.of("/nonexistent.key")).build()).hasMessageContaining("tlsCertFile");
  }

  @Test
  void addressesHaveOneCanonicalFormAndAGossipUrl() {
    assertThat(WsAddresses.canonical("Relay.Example:4160")).isEqualTo("http://relay.example:4160");
    assertThat(WsAddresses.canonical("ws://relay.example:4160/")).isEqualTo("http://relay.example:4160");
    assertThat(WsAddresses.canonical("wss://relay.example")).isEqualTo("https://relay.example:443");
    assertThat(WsAddresses.canonical("")).isEmpty();
    assertThatThrownBy(() -> WsAddresses.canonical("ftp://x:1")).isInstanceOf(IllegalArgumentException.class);
    assertThat(WsAddresses.gossipUri("https://r:1", "net", "/v1/{genesisID}/gossip")).hasToString("wss://r:1/v1/net/gossip");
    assertThat(WsAddresses.gossipUri("http://r:1", "net", "/v1/{genesisID}/gossip")).hasToString("ws://r:1/v1/net/gossip");
  }

  @Test
  void theRequestTrackerCountsConnectionsPerHostInASlidingWindow() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    RequestTracker t = new RequestTracker(Duration.ofSeconds(1), 2, now::get);
    assertThat(t.register("a")).isEqualTo(1);
    assertThat(t.register("a")).isEqualTo(2);
    assertThat(t.register("b")).isEqualTo(1);
    assertThat(t.register("a")).isEqualTo(3);
    now.addAndGet(1_100_000_000L);
    assertThat(t.register("a")).isEqualTo(1);
    assertThat(t.retryAfterSeconds()).isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      t.register("a");
    }
    assertThat(t.register("a")).isEqualTo(5);
    now.addAndGet(5_000_000_000L);
    t.register("c");
    assertThat(t.trackedHosts()).isEqualTo(1);
  }

  @Test
  void retryAfterIsParsedAsSecondsAndCapped() {
    assertThat(WsTransport.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(WsTransport.parseRetryAfter("999999")).isEqualTo(Duration.ofHours(1));
    assertThat(WsTransport.parseRetryAfter("soon")).isNull();
    assertThat(WsTransport.parseRetryAfter(null)).isNull();
  }
}
