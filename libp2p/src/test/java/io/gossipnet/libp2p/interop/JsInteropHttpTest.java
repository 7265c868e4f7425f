package io.gossipnet.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.http.HttpClient;
import io.gossipnet.libp2p.http.HttpRequest;
import io.gossipnet.libp2p.http.HttpResponse;
import io.gossipnet.libp2p.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 over libp2p streams between our host and js-libp2p's {@code @libp2p/http}, both ways. */
class JsInteropHttpTest {
  private static Host host;
  private static JsPeer js;
  private static Connection toJs;

  @BeforeAll
  static void start() throws Exception {
    host = Host.builder().listen("/ip4/127.0.0.1/tcp/0").build().start();
    HttpServer server = new HttpServer()
        .mount("/gossipnet/java-hello/1.0.0", "/hello", req -> new HttpResponse(200,
            Map.of("content-type", List.of("text/plain"), "x-peer", List.of("java")),
            ("hello from java, host " + req.header("host")).getBytes()))
        .mount("/gossipnet/java-echo/1.0.0", "/echo", req -> req.method().equals("POST")
            ? new HttpResponse(201,
                Map.of("content-type", List.of("text/plain"), "x-echo-length", List.of(String.valueOf(req.body().length))),
                ("echo:" + req.bodyText()).getBytes())
            : new HttpResponse(405, Map.of("allow", List.of("POST")), new byte[0]));
    host.setStreamHandler(HttpServer.PROTOCOL, server);
    js = JsPeer.start(Map.of());
    toJs = host.dial(js.address()).get(20, TimeUnit.SECONDS);
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

  private String javaAddr() {
    return host.listenAddresses().get(0).withPeerId(host.peerId()).toString();
  }

  @Test
  void javaGetsFromJsAndReadsAnEofDelimitedBody() throws Exception {
    HttpResponse r = new HttpClient().send(toJs, HttpRequest.get("/hello"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("x-peer")).isEqualTo("js");
    assertThat(r.header("content-length")).as("js frames this body by end of stream").isNull();
    assertThat(r.header("transfer-encoding")).isNull();
    assertThat(r.bodyText()).isEqualTo("hello from js");
  }

  @Test
  void javaPostsToJsAndGetsStatusHeadersAndBody() throws Exception {
    HttpResponse r = new HttpClient().send(toJs, HttpRequest.post("/echo", "text/plain", "ping from java"));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("x-echo-length")).isEqualTo("14");
    assertThat(r.bodyText()).isEqualTo("echo:ping from java");
  }

  @Test
  void javaReadsJsProtocolMapAndGets404ForUnknownPaths() throws Exception {
    HttpResponse map = new HttpClient().send(toJs, HttpRequest.get(HttpServer.WELL_KNOWN_PATH));
    assertThat(map.status()).isEqualTo(200);
    assertThat(map.bodyText()).contains("\"/gossipnet/hello/1.0.0\"", "\"path\":\"/hello\"");
    assertThat(new HttpClient().send(toJs, HttpRequest.get("/nope")).status()).isEqualTo(404);
  }

  @Test
  void jsGetsFromJava() throws Exception {
    JsonObject r = js.call("fetch", Map.of("addr", javaAddr(), "path", "/hello"), Duration.ofSeconds(20));
    assertThat(r.get("status").getAsInt()).isEqualTo(200);
    assertThat(r.getAsJsonObject("headers").get("x-peer").getAsString()).isEqualTo("java");
    assertThat(r.get("body").getAsString()).startsWith("hello from java, host k51");
  }

  @Test
  void jsPostsToJava() throws Exception {
    JsonObject r = js.call("fetch", Map.of("addr", javaAddr(), "path", "/echo", "method", "POST",
        "body", "ping from js"), Duration.ofSeconds(20));
    assertThat(r.get("status").getAsInt()).isEqualTo(201);
    assertThat(r.getAsJsonObject("headers").get("x-echo-length").getAsString()).isEqualTo("12");
    assertThat(r.get("body").getAsString()).isEqualTo("echo:ping from js");
  }

  @Test
  void jsReadsJavaProtocolMapAndGets404And405() throws Exception {
    JsonObject map = js.call("fetch", Map.of("addr", javaAddr(), "path", HttpServer.WELL_KNOWN_PATH),
        Duration.ofSeconds(20));
    assertThat(map.get("status").getAsInt()).isEqualTo(200);
    assertThat(map.get("body").getAsString())
        .isEqualTo("{\"/gossipnet/java-echo/1.0.0\":{\"path\":\"/echo\"},\"/gossipnet/java-hello/1.0.0\":{\"path\":\"/hello\"}}");
    assertThat(js.call("fetch", Map.of("addr", javaAddr(), "path", "/nope"), Duration.ofSeconds(20))
        .get("status").getAsInt()).isEqualTo(404);
    assertThat(js.call("fetch", Map.of("addr", javaAddr(), "path", "/echo"), Duration.ofSeconds(20))
        .get("status").getAsInt()).isEqualTo(405);
  }
}
