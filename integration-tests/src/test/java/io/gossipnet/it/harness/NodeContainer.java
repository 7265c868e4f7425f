package io.gossipnet.it.harness;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.utility.DockerImageName;

/**
 * One gossipnet node in a container of the {@link NodeImage}, running {@code gossipnet run
 * --transport ws --demo-api} on port {@value #PORT}, attached to a {@link GossipNetwork} under its
 * alias, with its HTTP port mapped to the test host.
 *
 * <p>Besides starting and stopping it (Testcontainers), a test can cut it off the gossip network
 * and attach it again ({@link #disconnectFromNetwork()}, {@link #reconnectToNetwork()}), kill it
 * with SIGKILL and start the same container again ({@link #kill()}, {@link #restart()}), and talk
 * to its HTTP API ({@link #http()}). The container's output goes to the test log (logger {@code
 * node.<alias>}), each line prefixed with the alias and {@code |} (stdout) or {@code !} (stderr).
 */
public final class NodeContainer extends GenericContainer<NodeContainer> {
  /** The port every node listens on inside its container. */
  public static final int PORT = 8080;

  /**
   * JVM options of the node in the container (read by the {@code java} launcher): a small heap and
   * the serial collector, since several nodes share two cores in CI.
   */
  public static final String JAVA_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" + quietUnsafe();

  /**
   * The image's runtime is jlinked from the JDK running the tests: from JDK 23 on, allow Guice's
   * {@code sun.misc.Unsafe} use so its warning does not fill the node's console.
   */
  public static String quietUnsafe() {
    return Runtime.version().feature() >= 23 ? " --sun-misc-unsafe-memory-access=allow" : "";
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Logger log;
  private final GossipNetwork network;
  private final String alias;
  private final String address;
  private final String genesis;
  private volatile URI baseUri;

  /**
   * A node container; nothing runs until {@link #start()}.
   *
   * @param network the gossip network to attach it to
   * @param alias its DNS name on that network, also its public address's host
   * @param genesis the genesis ID of the network it joins
   * @param peers the {@code HOST:PORT} addresses it dials
   */
  public NodeContainer(GossipNetwork network, String alias, String genesis, List<String> peers) {
    super(DockerImageName.parse(NodeImage.name()));
    this.network = network;
    this.alias = alias;
    this.log = LoggerFactory.getLogger("node." + alias);
    this.address = network.nextAddress();
    this.genesis = genesis;
    List<String> command = new ArrayList<>(List.of("run", "--transport", "ws", "--listen", "0.0.0.0:" + PORT, "--genesis", genesis));
    for (String peer : peers) {
      command.add("--peer");
      command.add(peer);
    }
    command.addAll(List.of("--public-address", "http://" + alias + ":" + PORT, "--demo-api"));
    withCommand(command.toArray(String[]::new));
    withExposedPorts(PORT);
    withEnv("JDK_JAVA_OPTIONS", JAVA_OPTIONS);
    withCreateContainerCmdModifier(cmd -> cmd.withName(network.name() + "-" + alias).withHostName(alias));
    withLogConsumer(this::log);
    waitingFor(new ListeningWaitStrategy(1).withStartupTimeout(START_TIMEOUT));
  }

  /**
   * This node's {@code HOST:PORT} on the gossip network, as other nodes dial it.
   *
   * @param alias a node's alias
   * @return {@code alias:PORT}
   */
  public static String peerAddress(String alias) {
    return alias + ":" + PORT;
  }

  @Override
  protected void containerIsCreated(String containerId) {
    // Attach to the gossip network before the node starts, so its first dials can resolve peers.
    network.connect(containerId, alias, address);
  }

  @Override
  protected void containerIsStarted(InspectContainerResponse containerInfo) {
    baseUri = mappedUri(containerInfo);
  }

  /**
   * The node's alias on the gossip network.
   *
   * @return the alias
   */
  public String alias() {
    return alias;
  }

  /**
   * The genesis ID the node was started with.
   *
   * @return the genesis ID
   */
  public String genesis() {
    return genesis;
  }

  /**
   * The {@code address} of the node's {@code listening} line, the last one it printed.
   *
   * @return the address, or {@code null} if it has printed none
   */
  public String listeningAddress() {
    String logs = getLogs(OutputFrame.OutputType.STDOUT);
    Matcher m = ListeningWaitStrategy.LISTENING.matcher(logs);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      return null;
    }
    Matcher address = Pattern.compile("\"address\"\\s*:\\s*\"([^\"]*)\"").matcher(last);
    return address.find() ? address.group(1) : null;
  }

  /**
   * How many {@code listening} lines the node has printed since its container was created (one
   * per start).
   *
   * @return the count
   */
  public int listeningCount() {
    return ListeningWaitStrategy.count(getLogs(OutputFrame.OutputType.STDOUT));
  }

  /**
   * The node's HTTP API at its mapped port.
   *
   * @return a client for it
   */
  public NodeHttp http() {
    URI uri = baseUri;
    if (uri == null) {
      throw new IllegalStateException(alias + " is not started");
    }
    return new NodeHttp(alias, uri, genesis);
  }

  /** Cuts the node off the gossip network; its mapped HTTP port stays reachable. */
  public void disconnectFromNetwork() {
    network.disconnect(getContainerId());
  }

  /** Attaches the node to the gossip network again, under the same alias and address. */
  public void reconnectToNetwork() {
    network.connect(getContainerId(), alias, address);
  }

  /** Kills the node's process with SIGKILL (no orderly stop) and waits until the container is down. */
  public void kill() {
    getDockerClient().killContainerCmd(getContainerId()).withSignal("KILL").exec();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (Boolean.TRUE.equals(inspect().getState().getRunning())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(alias + " is still running 30 s after SIGKILL");
      }
      sleep(100);
    }
  }

  /**
   * Starts the same container again after {@link #kill()} (same alias, address and command), follows
   * its output again, and waits for a new {@code listening} line. Its mapped port may change.
   */
  public void restart() {
    int before = listeningCount();
    int since = (int) (System.currentTimeMillis() / 1000);
    getDockerClient().startContainerCmd(getContainerId()).exec();
    // Follow the new run's output only (the log of the container holds the earlier runs too).
    FrameConsumerResultCallback callback = new FrameConsumerResultCallback();
    callback.addConsumer(OutputFrame.OutputType.STDOUT, this::log);
    callback.addConsumer(OutputFrame.OutputType.STDERR, this::log);
    getDockerClient()
        .logContainerCmd(getContainerId())
        .withFollowStream(true)
        .withStdOut(true)
        .withStdErr(true)
        .withSince(since)
        .exec(callback);
    new ListeningWaitStrategy(before + 1).withStartupTimeout(START_TIMEOUT).waitUntilReady(this);
    baseUri = mappedUri(inspect());
  }

  private void log(OutputFrame frame) {
    String text = frame.getUtf8StringWithoutLineEnding();
    if (frame.getType() == OutputFrame.OutputType.STDOUT) {
      log.info("{} | {}", alias, text);
    } else if (frame.getType() == OutputFrame.OutputType.STDERR) {
      log.info("{} ! {}", alias, text);
    }
  }

  private InspectContainerResponse inspect() {
    return getDockerClient().inspectContainerCmd(getContainerId()).exec();
  }

  private URI mappedUri(InspectContainerResponse info) {
    Map<ExposedPort, Ports.Binding[]> bindings = info.getNetworkSettings().getPorts().getBindings();
    Ports.Binding[] binding = bindings.get(ExposedPort.tcp(PORT));
    if (binding == null || binding.length == 0) {
      throw new IllegalStateException(alias + ": port " + PORT + " is not mapped: " + bindings);
    }
    return URI.create("http://" + getHost() + ":" + binding[0].getHostPortSpec());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
