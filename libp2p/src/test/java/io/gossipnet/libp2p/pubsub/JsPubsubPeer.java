package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A js-libp2p GossipSub process ({@code src/test/js-pubsub/peer.mjs}) driven over stdin/stdout JSON
 * lines. Without Node or its npm packages the test fails when {@code REQUIRE_NODE=1} (set by
 * {@code bin/setup.d/20-node-packages.sh}) and is skipped otherwise.
 */
public final class JsPubsubPeer implements AutoCloseable {
  private static final Gson GSON = new Gson();
  private final Process process;
  private final Writer stdin;
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final CompletableFuture<JsonObject> ready = new CompletableFuture<>();
  private final StringBuilder stderr = new StringBuilder();

  private JsPubsubPeer(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread.ofVirtual().start(this::readStdout);
    Thread.ofVirtual().start(this::readStderr);
  }

  public static Path peerDir() {
    String env = System.getenv("GOSSIPNET_JS_PUBSUB_PEER_DIR");
    return env != null ? Path.of(env) : Path.of("src/test/js-pubsub").toAbsolutePath();
  }

  /** Starts a js peer; options: seed, sign (default true), D, Dlo, Dhi, Dlazy, floodPublish. */
  public static JsPubsubPeer start(Map<String, Object> options) throws IOException {
    Path dir = peerDir();
    boolean required = "1".equals(System.getenv("REQUIRE_NODE"));
    if (!Files.isDirectory(dir.resolve("node_modules/@libp2p/gossipsub"))) {
      String msg = "js pubsub packages are not installed in " + dir + " (run bin/setup.d/20-node-packages.sh)";
      if (required) {
        fail(msg);
      }
      Assumptions.abort(msg);
    }
    String node = System.getenv().getOrDefault("GOSSIPNET_NODE", "node");
    Process p;
    try {
      p = new ProcessBuilder(node, "peer.mjs", GSON.toJson(options)).directory(dir.toFile()).start();
    } catch (IOException e) {
      if (required) {
        fail("cannot start node (" + node + "): " + e.getMessage());
      }
      Assumptions.abort("node is not available: " + e.getMessage());
      throw e;
    }
    JsPubsubPeer peer = new JsPubsubPeer(p);
    try {
      peer.ready.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      peer.close();
      fail("js peer did not start: " + e + "\nstderr:\n" + peer.stderr());
    }
    return peer;
  }

  private void readStdout() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonObject o;
        try {
          o = GSON.fromJson(line, JsonObject.class);
        } catch (RuntimeException e) {
          continue;
        }
        if (o == null) {
          continue;
        }
        if (o.has("id")) {
          CompletableFuture<JsonObject> f = pending.remove(o.get("id").getAsInt());
          if (f != null) {
            f.complete(o);
          }
        } else if (o.has("event")) {
          events.add(o);
          if ("ready".equals(o.get("event").getAsString())) {
            ready.complete(o);
          }
        }
      }
    } catch (IOException ignored) {
      // process ended
    }
    pending.values().forEach(f -> f.completeExceptionally(new IOException("js peer exited; stderr:\n" + stderr())));
  }

  private void readStderr() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stderr) {
          if (stderr.length() < 64 * 1024) {
            stderr.append(line).append('\n');
          }
        }
      }
    } catch (IOException ignored) {
      // process ended
    }
  }

  public PeerId peerId() {
    return PeerId.fromString(ready.join().get("peerId").getAsString());
  }

  public Multiaddr address() {
    return Multiaddr.fromString(ready.join().getAsJsonArray("addrs").get(0).getAsString());
  }

  /** Runs a command; fails the test if js reports an error. */
  public JsonObject call(String cmd, Map<String, Object> args) throws Exception {
    return call(cmd, args, 20);
  }

  /** Runs a command with a timeout in seconds; fails the test if js reports an error. */
  public JsonObject call(String cmd, Map<String, Object> args, int timeoutSeconds) throws Exception {
    int id = ids.incrementAndGet();
    JsonObject msg = GSON.toJsonTree(args).getAsJsonObject();
    msg.addProperty("id", id);
    msg.addProperty("cmd", cmd);
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    synchronized (stdin) {
      stdin.write(GSON.toJson(msg) + "\n");
      stdin.flush();
    }
    JsonObject r = f.get(timeoutSeconds, TimeUnit.SECONDS);
    assertThat(r.get("ok").getAsBoolean()).as("js %s failed: %s", cmd, r.get("error")).isTrue();
    return r;
  }

  public void dial(Multiaddr addr) throws Exception {
    call("dial", Map.of("addr", addr.toString()));
  }

  public void subscribe(String topic) throws Exception {
    call("subscribe", Map.of("topic", topic));
  }

  public void publish(String topic, String data) throws Exception {
    call("publish", Map.of("topic", topic, "data", data));
  }

  public List<String> mesh(String topic) throws Exception {
    return call("mesh", Map.of("topic", topic)).getAsJsonArray("peers").asList().stream()
        .map(e -> e.getAsString()).toList();
  }

  /** Events named {@code name} matching {@code filter}. */
  public List<JsonObject> events(String name, Predicate<JsonObject> filter) {
    return events.stream().filter(e -> name.equals(e.get("event").getAsString())).filter(filter).toList();
  }

  /** Data of every message event on {@code topic}, in arrival order. */
  public List<String> received(String topic) {
    return events("message", e -> topic.equals(e.get("topic").getAsString())).stream()
        .map(e -> e.get("data").getAsString()).toList();
  }

  public String stderr() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
