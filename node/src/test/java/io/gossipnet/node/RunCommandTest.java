package io.gossipnet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gossipnet run} as a process, as the container tests use it: the listening line, /status,
 * the demo API across two nodes, survival of malformed input, and exit 0 on SIGTERM.
 */
class RunCommandTest {
  private static final String GENESIS = "run-test-v1";
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    http.close();
  }

  private static int freePort() throws Exception {
    return io.gossipnet.testkit.FreePorts.loopback();
  }

  /** Starts a node process and returns the address from its listening line. */
  private String startNode(int port, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        GossipnetCli.class.getName(), "run", "--transport", "ws", "--listen", "127.0.0.1:" + port, "--genesis", GENESIS,
        "--public-address", "http://127.0.0.1:" + port, "--demo-api", "--mesh-interval-ms", "500"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).isNotNull();
    Matcher m = Pattern.compile("\\{\"event\":\"listening\",\"address\":\"([^\"]+)\"}").matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    return m.group(1);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int intField(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as(json).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void twoNodesFormAMeshServeStatusRelayDemoBroadcastsSurviveBadInputAndStopOnSigterm() throws Exception {
    int portA = freePort();
    int portB = freePort();
    // b starts first and dials a, which is not up yet: the mesh retries.
    String b = startNode(portB, "--peer", "127.0.0.1:" + portA);
    String a = startNode(portA);
    assertThat(a).isEqualTo("http://127.0.0.1:" + portA);
    await().atMost(Duration.ofSeconds(30)).until(() -> intField(get(b + "/status").body(), "peers") == 1);
    HttpResponse<String> status = get(a + "/status");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"genesis\":\"" + GENESIS + "\"", "\"address\":\"" + a + "\"");
    assertThat(intField(status.body(), "peersIn")).isEqualTo(1);
    assertThat(intField(get(b + "/status").body(), "peersOut")).isEqualTo(1);

    // Malformed input: a handshake with no headers, a garbage request, and a text frame.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), portA)) {
      OutputStream o = s.getOutputStream();
      o.write(("GET /v1/" + GENESIS + "/gossip HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 412");
    }
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), portA)) {
      s.getOutputStream().write(new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n', '\r', '\n'});
      s.getOutputStream().flush();
      s.getInputStream().readAllBytes();
    }

    HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(a + "/v1/" + GENESIS + "/demo/broadcast"))
        .POST(HttpRequest.BodyPublishers.ofString("hello gossip")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).isEqualTo(200);
    String id = DemoApi.sha256("hello gossip".getBytes(StandardCharsets.UTF_8));
    assertThat(sent.body()).isEqualTo("{\"id\":\"" + id + "\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> get(b + "/v1/" + GENESIS + "/demo/received").body().contains(id));
    assertThat(get(a + "/v1/" + GENESIS + "/demo/received").body()).isEqualTo("{\"ids\":[\"" + id + "\"]}");
    HttpResponse<String> tooBig = http.send(HttpRequest.newBuilder(URI.create(a + "/v1/" + GENESIS + "/demo/broadcast"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024 + 1])).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(intField(get(a + "/status").body(), "peers")).isEqualTo(1);

    Process pa = processes.get(1);
    pa.destroy(); // SIGTERM
    assertThat(pa.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pa.exitValue()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> intField(get(b + "/status").body(), "peers") == 0);
  }
}
