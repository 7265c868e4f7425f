package io.gossipnet.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.protocol.Ping;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connection set-up, identify and ping between our host and js-libp2p, in both directions. */
class JsInteropHandshakeTest {
  private static final String JS_SEED = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
  private Host host;
  private JsPeer js;

  @AfterEach
  void stop() {
    if (host != null) {
      host.close();
    }
    if (js != null) {
      js.close();
    }
  }

  private void start(boolean early) throws Exception {
    host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").earlyMuxerNegotiation(early).build().start();
    js = JsPeer.start(Map.of("seed", JS_SEED));
  }

  @ParameterizedTest(name = "early muxer negotiation: {0}")
  @ValueSource(booleans = {true, false})
  void javaDialsJsAndBothSidesIdentifyAndPing(boolean early) throws Exception {
    start(early);
    assertThat(js.peerId().toBase58()).isEqualTo("12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf");

    Connection c = host.dial(js.address()).get(20, TimeUnit.SECONDS);
    assertThat(c.remotePeerId()).isEqualTo(js.peerId());
    assertThat(c.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(c.earlyMuxerNegotiated()).isEqualTo(early);

    IdentifyInfo info = c.identify().get(20, TimeUnit.SECONDS);
    assertThat(info.agentVersion()).startsWith("js-libp2p/");
    assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/gossipnet/echo/1.0.0", "/http/1.1");
    assertThat(info.listenAddresses()).contains(js.address().withoutPeerId());
    assertThat(info.observedAddress().withoutPeerId()).isEqualTo(c.localAddress());
    assertThat(info.signedPeerRecord()).isNotNull();
    assertThat(info.signedPeerRecord().peerId()).isEqualTo(js.peerId());

    JsonObject jsSaw = js.awaitEvent("identify", e -> e.get("peerId").getAsString().equals(host.peerId().toBase58()),
        Duration.ofSeconds(20));
    assertThat(jsSaw.get("agentVersion").getAsString()).isEqualTo("gossipnet/0.1.0");
    assertThat(jsSaw.get("protocols").toString()).contains("/ipfs/ping/1.0.0", "/ipfs/id/1.0.0");
    assertThat(jsSaw.get("listenAddrs").toString()).contains(host.listenAddresses().get(0).toString());
    assertThat(jsSaw.get("observedAddr").getAsString()).isEqualTo(c.remoteAddress().toString());
    assertThat(jsSaw.get("signedPeerRecord").getAsBoolean()).isTrue();

    List<Duration> rtts = Ping.ping(c, 3);
    assertThat(rtts).hasSize(3);
    JsonObject jsPing = js.call("ping", Map.of("addr", host.listenAddresses().get(0).withPeerId(host.peerId()).toString(),
        "count", 3), Duration.ofSeconds(20));
    assertThat(jsPing.getAsJsonArray("rtts")).hasSize(3);
  }

  @ParameterizedTest(name = "early muxer negotiation: {0}")
  @ValueSource(booleans = {true, false})
  void jsDialsJavaAndBothSidesIdentifyAndPing(boolean early) throws Exception {
    start(early);
    String addr = host.listenAddresses().get(0).withPeerId(host.peerId()).toString();
    JsonObject dial = js.call("dial", Map.of("addr", addr), Duration.ofSeconds(20));
    assertThat(dial.get("peerId").getAsString()).isEqualTo(host.peerId().toBase58());
    assertThat(dial.get("muxer").getAsString()).isEqualTo("/yamux/1.0.0");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !host.connections(js.peerId()).isEmpty());
    Connection c = host.connections(js.peerId()).get(0);
    assertThat(c.direction()).isEqualTo(Direction.INBOUND);
    assertThat(c.earlyMuxerNegotiated()).isEqualTo(early);
    IdentifyInfo info = c.identify().get(20, TimeUnit.SECONDS);
    assertThat(info.agentVersion()).startsWith("js-libp2p/");
    assertThat(info.observedAddress().withoutPeerId()).isEqualTo(c.localAddress());

    js.awaitEvent("identify", e -> e.get("peerId").getAsString().equals(host.peerId().toBase58()),
        Duration.ofSeconds(20));
    JsonObject jsPing = js.call("ping", Map.of("addr", addr, "count", 2), Duration.ofSeconds(20));
    assertThat(jsPing.getAsJsonArray("rtts")).hasSize(2);
    assertThat(Ping.ping(c)).isPositive();
  }

  @org.junit.jupiter.api.Test
  void identifyPushCarriesNewProtocolsBothWays() throws Exception {
    start(true);
    Connection c = host.dial(js.address()).get(20, TimeUnit.SECONDS);
    c.identify().get(20, TimeUnit.SECONDS);
    js.awaitEvent("identify", e -> e.get("peerId").getAsString().equals(host.peerId().toBase58()),
        Duration.ofSeconds(20));

    host.setStreamHandler("/gossipnet/late-java/1.0.0", s -> { });
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> js.call("protocols",
        Map.of("peerId", host.peerId().toBase58()), Duration.ofSeconds(5)).toString().contains("/gossipnet/late-java/1.0.0"));

    js.call("handle", Map.of("protocol", "/gossipnet/late-js/1.0.0"), Duration.ofSeconds(5));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> c.identify().getNow(null).protocols().contains("/gossipnet/late-js/1.0.0"));
  }

  @org.junit.jupiter.api.Test
  void dialingWithAPeerIdThatDoesNotMatchFailsInBothDirections() throws Exception {
    start(true);
    var wrongJs = js.address().withoutPeerId().withPeerId(PrivateKey.generate().peerId());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> host.dial(wrongJs).get(20, TimeUnit.SECONDS))
        .hasMessageContaining("does not match the dialed");
    var wrongJava = host.listenAddresses().get(0).withPeerId(PrivateKey.generate().peerId());
    JsonObject r = js.callRaw("dial", Map.of("addr", wrongJava.toString()), Duration.ofSeconds(20));
    assertThat(r.get("ok").getAsBoolean()).isFalse();
    // both hosts keep working
    assertThat(host.dial(js.address()).get(20, TimeUnit.SECONDS).identify().get(20, TimeUnit.SECONDS)).isNotNull();
  }

  static PrivateKey key(String hex) {
    return PrivateKey.fromSeed(HexFormat.of().parseHex(hex));
  }
}
