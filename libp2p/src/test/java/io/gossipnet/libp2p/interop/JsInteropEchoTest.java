package io.gossipnet.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.host.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A custom echo protocol over Yamux streams between our host and js-libp2p, both ways. */
class JsInteropEchoTest {
  private static Host host;
  private static JsPeer js;

  @BeforeAll
  static void start() throws Exception {
    host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    host.setStreamHandler(EchoHandler.PROTOCOL, new EchoHandler());
    js = JsPeer.start(Map.of());
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.close();
    }
    if (js != null) {
      js.close();
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private String javaAddr() {
    return host.listenAddresses().get(0).withPeerId(host.peerId()).toString();
  }

  @Test
  void javaSendsOneMebibyteOnOneStreamAndJsEchoesIt() throws Exception {
    Connection c = host.dial(js.address()).get(20, TimeUnit.SECONDS);
    byte[] data = random(1 << 20, 1);
    assertThat(Echo.roundTrip(c, data)).isEqualTo(data);
  }

  @Test
  void javaRunsOneHundredConcurrentEchoStreamsToJs() throws Exception {
    Connection c = host.dial(js.address()).get(20, TimeUnit.SECONDS);
    List<CompletableFuture<Boolean>> all = new ArrayList<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 100; i++) {
        byte[] data = random(20_000 + i, i);
        all.add(CompletableFuture.supplyAsync(() -> {
          try {
            return java.util.Arrays.equals(Echo.roundTrip(c, data), data);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, ex));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    assertThat(all).allMatch(CompletableFuture::join);
  }

  @Test
  void jsSendsOneMebibyteOnOneStreamAndJavaEchoesIt() throws Exception {
    JsonObject r = js.call("echo", Map.of("addr", javaAddr(), "size", 1 << 20, "streams", 1), Duration.ofSeconds(60));
    assertThat(r.get("bytes").getAsInt()).isEqualTo(1 << 20);
  }

  @Test
  void jsRunsOneHundredConcurrentEchoStreamsToJava() throws Exception {
    JsonObject r = js.call("echo", Map.of("addr", javaAddr(), "size", 20_000, "streams", 100), Duration.ofSeconds(60));
    assertThat(r.get("streams").getAsInt()).isEqualTo(100);
    assertThat(r.get("bytes").getAsInt()).isEqualTo(2_000_000);
  }
}
