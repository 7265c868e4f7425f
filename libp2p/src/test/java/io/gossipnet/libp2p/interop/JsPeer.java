package io.gossipnet.libp2p.interop;

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
import org.awaitility.Awaitility;

/**
 * A js-libp2p process ({@code peer.mjs} of a js test-peer directory, by default {@code
 * src/test/js}) driven over stdin/stdout JSON lines: commands carry an {@code id} and get one
 * answer with it; other lines are events. When Node or the npm packages are missing the test
 * fails if {@code REQUIRE_NODE=1} (CI, set by {@code bin/setup.d/20-node-packages.sh}), and is
 * skipped otherwise. The pubsub tests drive their own js peer through the same class ({@code
 * JsPubsubPeer}).
 */
public final class JsPeer implements AutoCloseable {
  private static final Gson GSON = new Gson();
  private final Process process;
  private final Writer stdin;
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final CompletableFuture<JsonObject> ready = new CompletableFuture<>();
  private final StringBuilder stderr = new StringBuilder();

  private JsPeer(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread.ofVirtual().start(this::readStdout);
    Thread.ofVirtual().start(this::readStderr);
  }

  /** The directory of the js peer, from GOSSIPNET_JS_PEER_DIR or the source tree. */
  static Path peerDir() {
    String env = System.getenv("GOSSIPNET_JS_PEER_DIR");
    return env != null ? Path.of(env) : Path.of("src/test/js").toAbsolutePath();
  }

  /** Starts a js peer with the given options (seed, listen, monitor). */
  static JsPeer start(Map<String, Object> options) throws IOException {
    return start(peerDir(), "libp2p", options);
  }

  /**
   * Starts {@code peer.mjs} in {@code dir} with the options as its JSON argument and waits for its
   * {@code ready} event.
   *
   * @param requiredModule a package under {@code node_modules} whose absence means "not installed"
   */
  public static JsPeer start(Path dir, String requiredModule, Map<String, Object> options) throws IOException {
    boolean required = "1".equals(System.getenv("REQUIRE_NODE"));
    if (!Files.isDirectory(dir.resolve("node_modules").resolve(requiredModule))) {
      String msg = "js packages are not installed in " + dir + " (run bin/setup.d/20-node-packages.sh)";
      if (required) {
        fail(msg);
      }
      org.junit.jupiter.api.Assumptions.abort(msg);
    }
    String node = System.getenv().getOrDefault("GOSSIPNET_NODE", "node");
    ProcessBuilder pb = new ProcessBuilder(node, "peer.mjs", GSON.toJson(options)).directory(dir.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      if (required) {
        fail("cannot start node (" + node + "): " + e.getMessage());
      }
      org.junit.jupiter.api.Assumptions.abort("node is not available: " + e.getMessage());
      throw e;
    }
    JsPeer peer = new JsPeer(p);
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

  /** The js peer's ID. */
  public PeerId peerId() {
    return PeerId.fromString(ready.join().get("peerId").getAsString());
  }

  /** The js listen address with /p2p/. */
  public Multiaddr address() {
    return Multiaddr.fromString(ready.join().getAsJsonArray("addrs").get(0).getAsString());
  }

  /** Runs a command; fails the test if js reports an error. */
  public JsonObject call(String cmd, Map<String, Object> args, Duration timeout) throws Exception {
    JsonObject r = callRaw(cmd, args, timeout);
    assertThat(r.get("ok").getAsBoolean()).as("js %s failed: %s%njs stderr (tail):%n%s", cmd, r.get("error"),
        tail(stderr(), 4000)).isTrue();
    return r;
  }

  /** Runs a command and returns the answer as is. */
  public JsonObject callRaw(String cmd, Map<String, Object> args, Duration timeout) throws Exception {
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
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      pending.remove(id);
      throw new AssertionError("js " + cmd + " did not answer within " + timeout + "; js stderr (tail):\n"
          + tail(stderr(), 4000), e);
    }
  }

  private static String tail(String s, int max) {
    return s.length() <= max ? s : s.substring(s.length() - max);
  }

  /** Waits for an event matching {@code filter}. */
  public JsonObject awaitEvent(String name, Predicate<JsonObject> filter, Duration timeout) {
    Awaitility.await().atMost(timeout).until(() -> findEvent(name, filter) != null);
    return findEvent(name, filter);
  }

  public JsonObject findEvent(String name, Predicate<JsonObject> filter) {
    return events.stream().filter(e -> name.equals(e.get("event").getAsString())).filter(filter)
        .reduce((a, b) -> b).orElse(null);
  }

  /** Events named {@code name} matching {@code filter}, in arrival order. */
  public List<JsonObject> events(String name, Predicate<JsonObject> filter) {
    return events.stream().filter(e -> name.equals(e.get("event").getAsString())).filter(filter).toList();
  }

  /** What the process wrote on stderr (the first 64 KiB). */
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
