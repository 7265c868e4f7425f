package io.gossipnet.node.p2p;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.ConnectionListener;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.host.Host;
import io.gossipnet.libp2p.http.HttpResponse;
import io.gossipnet.libp2p.http.HttpServer;
import io.gossipnet.libp2p.http.Json;
import io.gossipnet.libp2p.kad.Capabilities;
import io.gossipnet.libp2p.kad.KadConfig;
import io.gossipnet.libp2p.kad.KadDht;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.libp2p.pubsub.GossipSub;
import io.gossipnet.libp2p.pubsub.GossipSubConfig;
import io.gossipnet.libp2p.pubsub.PubsubMessage;
import io.gossipnet.libp2p.pubsub.SignaturePolicy;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gossipnet p2p listen}: a bare host answering identify, ping and HTTP {@code /status}. It
 * prints {@code {"peerId": ..., "addrs": [...]}} on stdout when ready (and, for people, the same
 * addresses one a line on stderr, with connections as they come and go) and exits 0 on SIGTERM or
 * when stdin closes. Without {@code --listen} it takes port 4001, or a free port when 4001 is in
 * use (a second {@code listen} on the same machine).
 *
 * <p>With {@code --topic} it runs GossipSub (StrictSign, or StrictNoSign with {@code --no-sign}),
 * subscribes to each topic, prints each received message as
 * {@code {"event":"message","topic":...,"from":...,"data":...}} ({@code from} is the author under
 * StrictSign and the forwarding peer under StrictNoSign, which carries no author; {@code data} is
 * decoded as UTF-8) and publishes each stdin line on the first topic. With {@code --dht} it runs
 * the Kademlia DHT in server mode; {@code --provide-text} then provides the CIDv1 raw SHA-256 of
 * the text (key: its multihash, as js-libp2p) and prints {@code {"event":"provided",...}}.
 * {@code --bootstrap} peers are dialled (and used by the DHT).
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
    description = "Run a bare libp2p host (identify, ping, HTTP /status) until SIGTERM or stdin closes.")
public final class ListenCommand implements Callable<Integer> {
  private static final String EPHEMERAL_LISTEN = "/ip4/0.0.0.0/tcp/0";

  @Option(names = "--listen", defaultValue = "/ip4/0.0.0.0/tcp/4001", description = "TCP multiaddr to listen on (default: ${DEFAULT-VALUE}, or a free port when 4001 is in use).")
  String listen;

  @Option(names = "--key", description = "Identity key file (hex libp2p PrivateKey protobuf); created when missing.")
  Path key;

  @Option(names = "--topic", paramLabel = "T", description = "Subscribe to this GossipSub topic (repeatable); stdin lines are published on the first.")
  List<String> topics = new ArrayList<>();

  @Option(names = "--no-sign", description = "GossipSub StrictNoSign instead of StrictSign.")
  boolean noSign;

  @Option(names = "--dht", description = "Run the Kademlia DHT (/ipfs/kad/1.0.0) in server mode.")
  boolean dht;

  @Option(names = "--bootstrap", paramLabel = "MULTIADDR", description = "Dial this peer (with /p2p/) on start and use it for the DHT (repeatable).")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--provide-text", paramLabel = "TEXT", description = "With --dht: provide the CIDv1 raw SHA-256 of TEXT's UTF-8 bytes once the DHT is up.")
  String provideText;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  InputStream stdin = System.in;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Multiaddr address;
    try {
      address = Multiaddr.fromString(listen);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
    }
    List<Multiaddr> bootstrapAddrs = parseBootstrap(spec.commandLine(), bootstrap);
    if (provideText != null && !dht) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--provide-text needs --dht");
    }
    PrintWriter err = spec.commandLine().getErr();
    PrivateKey identity = KeyFiles.loadOrCreate(key);
    Host started;
    try {
      started = startHost(identity, address);
    } catch (Libp2pException e) {
      boolean defaultListen = !spec.commandLine().getParseResult().hasMatchedOption("--listen");
      if (!defaultListen || !addressInUse(e)) {
        err.println("p2p listen: " + Failures.describe(e));
        err.flush();
        return 1;
      }
      // A second `p2p listen` on the same machine: the default port is taken by the first.
      Multiaddr ephemeral = Multiaddr.fromString(EPHEMERAL_LISTEN);
      err.println("p2p listen: " + listen + " is in use; listening on " + ephemeral
          + " (a free port) instead; choose one with --listen");
      err.flush();
      started = startHost(identity, ephemeral);
    }
    Host host = started;
    host.addConnectionListener(new ConnectionListener() {
      @Override
      public void connected(Connection c) {
        synchronized (err) {
          err.println("p2p listen: connected to " + c.remotePeerId() + " (" + c.direction().name().toLowerCase(Locale.ROOT)
              + ", " + c.remoteAddress() + ")");
          err.flush();
        }
      }

      @Override
      public void disconnected(Connection c, String reason) {
        synchronized (err) {
          err.println("p2p listen: disconnected from " + c.remotePeerId() + ": " + reason);
          err.flush();
        }
      }
    });
    CountDownLatch ready = new CountDownLatch(1);
    GossipSub gossip = null;
    if (!topics.isEmpty()) {
      gossip = GossipSub.start(host, GossipSubConfig.builder()
          .signaturePolicy(noSign ? SignaturePolicy.STRICT_NO_SIGN : SignaturePolicy.STRICT_SIGN).build());
      for (String topic : topics) {
        gossip.subscribe(topic, msg -> printMessage(out, ready, msg));
      }
    }
    KadDht kad = dht ? KadDht.start(host, KadConfig.defaults().withServerMode(true).withBootstrap(bootstrapAddrs)) : null;
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // On SIGTERM: wake the main thread, and keep the JVM alive until the host has closed.
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        closed.await(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "p2p-listen-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    GossipSub publisher = gossip;
    Thread.ofVirtual().start(() -> {
      try {
        if (publisher == null) {
          while (stdin.read() >= 0) {
            // input is ignored; end of input stops the host
          }
        } else {
          BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (publisher.publish(topics.get(0), line.getBytes(StandardCharsets.UTF_8)) == 0) {
              synchronized (err) {
                err.println("p2p listen: no peer on topic " + topics.get(0) + " yet; the line was not sent");
                err.flush();
              }
            }
          }
        }
      } catch (java.io.IOException ignored) {
        // treat as closed
      }
      stop.countDown();
    });
    List<String> addrs = host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId()).toString()).toList();
    synchronized (out) {
      out.println("{\"peerId\":" + Json.quote(host.peerId().toBase58()) + ",\"addrs\":["
          + addrs.stream().map(Json::quote).collect(Collectors.joining(",")) + "]}");
      out.flush();
    }
    ready.countDown();
    printBanner(err, host, addrs);
    if (kad == null) {
      for (Multiaddr a : bootstrapAddrs) {
        host.dial(a).whenComplete((c, e) -> {
          if (e != null) {
            spec.commandLine().getErr().println("bootstrap " + a + " failed: " + Failures.describe(e));
            spec.commandLine().getErr().flush();
          }
        });
      }
    } else if (provideText != null) {
      Thread.ofVirtual().start(() -> provide(out, kad, !bootstrapAddrs.isEmpty()));
    }
    stop.await();
    if (kad != null) {
      kad.close();
    }
    if (gossip != null) {
      gossip.close();
    }
    host.close();
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM path
    }
    return 0;
  }

  /** Starts a host on {@code address} with the identify, ping and HTTP {@code /status} handlers. */
  private static Host startHost(PrivateKey identity, Multiaddr address) throws Libp2pException {
    Host host = Host.builder().identity(identity).listen(address).build();
    HttpServer http = new HttpServer().mount("/gossipnet/status/1.0.0", "/status",
        req -> req.method().equals("GET")
            ? HttpResponse.text(200, "application/json", "{\"peerId\":" + Json.quote(host.peerId().toBase58())
                + ",\"connections\":" + host.connections().size() + "}")
            : new HttpResponse(405, java.util.Map.of("allow", List.of("GET")), new byte[0]));
    host.setStreamHandler(HttpServer.PROTOCOL, http);
    return host.start();
  }

  private static boolean addressInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /**
   * For people at a terminal (stderr; stdout stays JSON): the addresses to copy, one a line, and
   * how another peer joins.
   */
  private void printBanner(PrintWriter err, Host host, List<String> addrs) {
    synchronized (err) {
      err.println("p2p listen: peer ID " + host.peerId());
      for (String a : addrs) {
        err.println("p2p listen: listening on " + a);
      }
      if (!topics.isEmpty() && !addrs.isEmpty()) {
        String dial = addrs.stream().filter(a -> a.startsWith("/ip4/127.")).findFirst().orElse(addrs.get(0));
        err.println("p2p listen: stdin lines are published on " + topics.get(0) + "; another peer joins with: "
            + "gossipnet p2p listen --topic " + topics.get(0) + (noSign ? " --no-sign" : "") + " --bootstrap " + dial);
      }
      err.flush();
    }
  }

  /** Parses {@code --bootstrap} values; each must name its peer with {@code /p2p/}. */
  static List<Multiaddr> parseBootstrap(CommandLine cmd, List<String> values) {
    List<Multiaddr> out = new ArrayList<>();
    for (String v : values) {
      Multiaddr a;
      try {
        a = Multiaddr.fromString(v);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--bootstrap: " + e.getMessage());
      }
      if (a.peerId().isEmpty()) {
        throw new CommandLine.ParameterException(cmd, "--bootstrap " + v + ": needs /p2p/<peer ID>");
      }
      out.add(a);
    }
    return out;
  }

  private void printMessage(PrintWriter out, CountDownLatch ready, PubsubMessage msg) {
    try {
      ready.await(); // the ready line comes first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    var from = msg.from() != null ? msg.from() : msg.receivedFrom();
    String line = "{\"event\":\"message\",\"topic\":" + Json.quote(msg.topic()) + ",\"from\":"
        + (from == null ? "null" : Json.quote(from.toBase58())) + ",\"data\":"
        + Json.quote(new String(msg.data(), StandardCharsets.UTF_8)) + "}";
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private void provide(PrintWriter out, KadDht kad, boolean waitForPeers) {
    if (waitForPeers) {
      try {
        kad.awaitPeers(1, Duration.ofSeconds(30)).join();
      } catch (RuntimeException e) {
        // provide locally anyway; the reprovide timer announces it later
      }
    }
    int sent = kad.provide(Capabilities.capabilityKey(provideText));
    synchronized (out) {
      out.println("{\"event\":\"provided\",\"text\":" + Json.quote(provideText) + ",\"peers\":" + sent + "}");
      out.flush();
    }
  }
}
