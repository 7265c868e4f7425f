package io.gossipnet.node;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.p2p.P2pTransportModule;
import io.gossipnet.p2p.PeerKeyException;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.http.HttpServicesModule;
import io.gossipnet.hybrid.HybridConfig;
import io.gossipnet.hybrid.HybridNetwork;
import io.gossipnet.hybrid.HybridTransportModule;
import io.gossipnet.core.Peer;
import io.gossipnet.core.PeerOption;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.ws.WsConfig;
import io.gossipnet.core.engine.NetworkEngine;
import io.gossipnet.ws.WsTransportModule;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gossipnet run}: one node until SIGTERM or SIGINT. Prints {@code
 * {"event":"listening","address":"..."}} on stdout once it listens, logs connections and
 * disconnections (with reasons) on stderr, serves {@code GET /status}, the http-services
 * built-ins ({@code /v1/peers}, {@code /metrics}, the blob service) and, with {@code --demo-api},
 * the demo endpoints ({@link DemoApi}), over every transport of the node. Exits 0 after an orderly
 * stop.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one node until interrupted (SIGTERM/SIGINT).")
public final class RunCommand implements Callable<Integer> {
  private final List<Module> appModules;

  /** The command without application modules (as picocli makes it for {@code gossipnet run}). */
  public RunCommand() {
    this(List.of());
  }

  RunCommand(List<Module> appModules) {
    this.appModules = List.copyOf(appModules);
  }

  @Option(names = "--transport", defaultValue = "ws", description = "transport: ws, p2p or hybrid (default ${DEFAULT-VALUE})")
  String transport;

  @Option(names = "--key", description = "p2p, hybrid: the PEM PKCS#8 Ed25519 peer key file (must exist)")
  java.nio.file.Path keyFile;

  @Option(names = "--data-dir", description = "p2p, hybrid: where peerIDPrivKey.key is read, or created and kept")
  java.nio.file.Path dataDir;

  @Option(names = "--dht", description = "p2p, hybrid: enable DHT providers (EnableDHTProviders)")
  boolean dht;

  @Option(names = "--p2p-listen", defaultValue = "", description = "hybrid: HOST:PORT the P2P side listens on (--listen is the WS side)")
  String p2pListen;

  @Option(names = "--listen", required = true, description = "HOST:PORT to listen on (port 0: any free port)")
  String listen;

  @Option(names = "--genesis", required = true, description = "the network's genesis ID")
  String genesis;

  @Option(names = "--peer", description = "a relay to connect to: HOST:PORT (ws), /ip4/.../p2p/<id> (p2p); hybrid takes both (repeatable; retried until up)")
  List<String> peers = new ArrayList<>();

  @Option(names = "--public-address", defaultValue = "", description = "the URL other nodes reach this one at (e.g. http://node1:4160)")
  String publicAddress;

  @Option(names = "--fanout", defaultValue = "4", description = "outgoing connections to keep (default ${DEFAULT-VALUE})")
  int fanout;

  @Option(names = "--mesh-interval-ms", defaultValue = "5000", description = "how often the mesh dials missing peers (default ${DEFAULT-VALUE})")
  long meshIntervalMs;

  @Option(
      names = "--keep-alive-ms",
      defaultValue = "0",
      description =
          "how often an idle connection is pinged; one silent for two of these is closed and the mesh dials again"
              + " (ws: the ping interval and the pong timeout; p2p: the Yamux keep-alive; default 0: the transports' own,"
              + " ws 10 s + 20 s, p2p 30 s + 30 s)")
  long keepAliveMs;

  @Option(
      names = "--dial-timeout-ms",
      defaultValue = "0",
      description =
          "how long a dial may take before the mesh gives it up (ws: the TCP connect; p2p: TCP, Noise and Yamux set-up;"
              + " default 0: the transports' own, ws 30 s, p2p 10 s)")
  long dialTimeoutMs;

  @Option(names = "--module", paramLabel = "CLASS", description = "an application's Guice module to install (a class on the class path with a public no-argument constructor; repeatable)")
  List<String> moduleClasses = new ArrayList<>();

  @Option(names = "--demo-api", description = "serve the demo broadcast/received endpoints and relay TX messages")
  boolean demoApi;

  @Override
  public Integer call() throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.log.io.gossipnet") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.gossipnet", "info");
    }
    if (!List.of("ws", "p2p", "hybrid").contains(transport)) {
      System.err.println("run: unknown transport '" + transport + "' (available: ws, p2p, hybrid)");
      return 2;
    }
    if (keepAliveMs < 0 || dialTimeoutMs < 0) {
      System.err.println("run: --keep-alive-ms and --dial-timeout-ms must not be negative");
      return 2;
    }
    if (transport.equals("hybrid") == p2pListen.isEmpty()) {
      System.err.println("run: --p2p-listen is " + (p2pListen.isEmpty() ? "required with" : "only for") + " --transport hybrid");
      return 2;
    }
    List<Module> modules = new ArrayList<>(appModules);
    for (String name : moduleClasses) {
      try {
        modules.add(loadModule(name));
      } catch (IllegalArgumentException e) {
        System.err.println("run: --module " + name + ": " + e.getMessage());
        return 2;
      }
    }
    NetworkConfig config;
    try {
      NetworkConfig.Builder builder =
          NetworkConfig.builder(genesis)
              .listenAddress(listen)
              .publicAddress(publicAddress)
              .relayPeers(peers)
              .gossipFanout(fanout)
              .meshInterval(Duration.ofMillis(meshIntervalMs))
              .enableIncomingMessageFilter(true);
      for (Module m : modules) {
        if (m instanceof NetworkConfigurer configurer) {
          configurer.configure(builder);
        }
      }
      config = builder.build();
    } catch (IllegalArgumentException e) {
      System.err.println("run: " + e.getMessage());
      return 2;
    }
    Injector injector;
    try {
      injector = Guice.createInjector(with(transportModule(config), modules));
    } catch (PeerKeyException | IllegalArgumentException e) {
      System.err.println("run: " + e.getMessage());
      return 2;
    } catch (CreationException e) {
      System.err.println("run: the application's modules cannot be wired: " + e.getMessage());
      return 2;
    }
    GossipNode net = injector.getInstance(GossipNode.class);
    net.registerHttpHandler("/status", req -> HttpResponse.json(200, status(net)));
    if (demoApi) {
      new DemoApi(net).install();
    }
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    installSignalHandlers(stop, stopped);
    try {
      service.startAsync().awaitRunning();
    } catch (IllegalStateException e) {
      System.err.println("run: the node failed to start: " + (service.failureCause() == null ? e : service.failureCause().getMessage()));
      return 1;
    }
    PrintStream out = System.out;
    if (net instanceof io.gossipnet.p2p.P2PNetwork p) {
      out.println("{\"event\":\"listening\",\"network\":\"p2p\",\"peerId\":" + Json.str(p.transport().p2pConfig().peerId())
          + ",\"addrs\":[" + Json.str(net.address().orElse("")) + "]}");
    } else if (net instanceof HybridNetwork h) {
      out.println("{\"event\":\"listening\",\"network\":\"hybrid\",\"address\":" + Json.str(h.address().orElse(""))
          + ",\"peerId\":" + Json.str(h.p2p().transport().p2pConfig().peerId())
          + ",\"addrs\":[" + Json.str(h.p2pAddress().orElse("")) + "]}");
    } else {
      out.println("{\"event\":\"listening\",\"address\":" + Json.str(net.address().orElse("")) + "}");
    }
    out.flush();
    stop.await();
    System.err.println("run: stopping");
    try {
      service.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("run: stop did not finish cleanly: " + e);
      return 1;
    } finally {
      stopped.countDown();
    }
    System.err.println("run: stopped");
    return 0;
  }

  /** The transport module the options name; throws for a bad key or hybrid configuration. */
  private Module transportModule(NetworkConfig config) throws PeerKeyException {
    WsConfig.Builder ws = WsConfig.builder();
    P2PConfig.Builder p2pBuilder = P2PConfig.builder().key(keyFile, dataDir, dataDir != null).dhtProviders(dht);
    if (keepAliveMs > 0) {
      Duration keepAlive = Duration.ofMillis(keepAliveMs);
      ws.pingInterval(keepAlive).pongTimeout(keepAlive);
      p2pBuilder.keepAliveInterval(keepAlive);
    }
    if (dialTimeoutMs > 0) {
      Duration dialTimeout = Duration.ofMillis(dialTimeoutMs);
      ws.connectTimeout(dialTimeout);
      p2pBuilder.dialTimeout(dialTimeout);
    }
    if (transport.equals("ws")) {
      return new WsTransportModule(config, ws.build());
    }
    P2PConfig p2p = p2pBuilder.build();
    if (transport.equals("p2p")) {
      return new P2pTransportModule(config, p2p);
    }
    return new HybridTransportModule(HybridConfig.builder(config).p2pListenAddress(p2pListen).ws(ws.build()).p2p(p2p).build());
  }

  private static List<Module> with(Module transportModule, List<Module> appModules) {
    List<Module> all = new ArrayList<>();
    all.add(transportModule);
    all.add(new HttpServicesModule());
    all.addAll(appModules);
    return all;
  }

  /** An application module named on the command line, made with its public no-argument constructor. */
  static Module loadModule(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("no such class on the class path (" + e + ")");
    }
    if (!Module.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(type.getName() + " is not a com.google.inject.Module");
    }
    try {
      return (Module) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName() + " has no public no-argument constructor");
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException("cannot make " + type.getName() + ": " + cause);
    }
  }

  static String status(GossipNode net) {
    List<Peer> in = net.getPeers(PeerOption.CONNECTED_IN);
    List<Peer> out = net.getPeers(PeerOption.CONNECTED_OUT);
    String type = net instanceof NetworkEngine e ? e.transport().networkType() : net instanceof HybridNetwork ? "hybrid" : "unknown";
    return "{\"genesis\":" + Json.str(net.genesisId())
        + ",\"address\":" + Json.str(net.address().orElse(""))
        + ",\"network\":" + Json.str(type)
        + ",\"peers\":" + (in.size() + out.size())
        + ",\"peersIn\":" + in.size()
        + ",\"peersOut\":" + out.size() + "}";
  }

  /**
   * SIGTERM and SIGINT release {@code stop} so the node stops in order and the process exits 0.
   * Without {@code sun.misc.Signal} (a runtime image without {@code jdk.unsupported}) a shutdown
   * hook does the same: it releases {@code stop}, waits for the orderly stop and halts with 0.
   */
  private static void installSignalHandlers(CountDownLatch stop, CountDownLatch stopped) {
    try {
      Signals.onTermOrInt(stop);
      return;
    } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException e) {
      System.err.println("run: no signal handling (" + e + "); using a shutdown hook");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(0);
    }, "gossipnet-shutdown"));
  }
}
