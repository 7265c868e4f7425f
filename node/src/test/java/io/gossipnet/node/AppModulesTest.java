package io.gossipnet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gossipnet.testkit.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An application's Guice modules in {@code gossipnet run}: named with {@code --module} or passed to
 * {@link GossipnetCli#run(String[], com.google.inject.Module...)} by the application's own main,
 * they add handlers, HTTP services and (through {@link NetworkConfigurer}) tags to the node.
 */
class AppModulesTest {
  private static final String GENESIS = "app-modules-v1";
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

  private Process start(String mainClass, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        mainClass));
    cmd.addAll(List.of(args));
    // stderr (connections, disconnections, errors) is kept in target/ for a failed run.
    java.io.File err = new java.io.File("target/app-modules-" + processes.size() + ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err).start();
    processes.add(p);
    return p;
  }

  private static List<String> runArgs(int port, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--transport", "ws", "--listen", "127.0.0.1:" + port, "--genesis", GENESIS,
        "--public-address", "http://127.0.0.1:" + port, "--mesh-interval-ms", "300"));
    args.addAll(List.of(extra));
    return args;
  }

  private static String firstLine(Process p) throws Exception {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
  }

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aModuleNamedOnTheCommandLineAndOnePassedByAnApplicationsMainServeAndGossipTheApplicationsOwnTag() throws Exception {
    int portA = FreePorts.loopback();
    int portB = FreePorts.loopback();
    Process a = start(GossipnetCli.class.getName(), runArgs(portA, "--module", GreetingModule.class.getName()).toArray(String[]::new));
    assertThat(firstLine(a)).contains("\"listening\"");
    Process b = start(GreetingModule.class.getName(), runArgs(portB, "--peer", "127.0.0.1:" + portA).toArray(String[]::new));
    assertThat(firstLine(b)).contains("\"listening\"");
    String greetA = "http://127.0.0.1:" + portA + "/v1/" + GENESIS + "/greet";
    String greetB = "http://127.0.0.1:" + portB + "/v1/" + GENESIS + "/greet";

    // b's module sends on GR, a tag the network knows only through the module's NetworkConfigurer;
    // a's module receives it. Sent again until the connection is up (a broadcast with no peer is dropped).
    await("a receives b's greeting on tag GR")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          send("POST", greetB, "hello from b");
          return send("GET", greetA + "/last", "").body().equals("hello from b");
        });
    send("POST", greetA, "hello from a");
    await("b receives a's greeting")
        .atMost(Duration.ofSeconds(10))
        .until(() -> send("GET", greetB + "/last", "").body().equals("hello from a"));
    assertThat(a.isAlive()).isTrue();
    assertThat(b.isAlive()).isTrue();
  }

  @Test
  void aModuleThatCannotBeLoadedIsABadOptionNamedOnStderr() throws Exception {
    Process p = start(GossipnetCli.class.getName(), runArgs(FreePorts.loopback(), "--module", "no.such.Module").toArray(String[]::new));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("target/app-modules-0.err")))
        .contains("run: --module no.such.Module: no such class on the class path");

    Process notAModule = start(GossipnetCli.class.getName(), runArgs(FreePorts.loopback(), "--module", String.class.getName()).toArray(String[]::new));
    assertThat(notAModule.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(notAModule.exitValue()).isEqualTo(2);
    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("target/app-modules-1.err")))
        .contains("java.lang.String is not a com.google.inject.Module");
  }
}
