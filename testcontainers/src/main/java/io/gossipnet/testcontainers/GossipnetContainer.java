package io.gossipnet.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.p2p.PeerKeyFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One gossipnet node in a container: {@code gossipnet run --transport ws|p2p|hybrid} on port
 * {@value #PORT} (a hybrid node: WS there and libp2p on {@value #HYBRID_P2P_PORT}), with its ports
 * mapped to the test host. The image is the stock node or an application built on gossipnet
 * ({@link GossipnetImage}); the container passes it {@code run}'s options, set with the {@code
 * with...} methods, and is ready when the node prints its {@code listening} line.
 *
 * <p>Alone, it is a Testcontainers container like any other ({@code @Container}, {@code
 * withNetwork}, {@code withNetworkAliases}). In a {@link GossipnetCluster} the cluster attaches it
 * to one private link per peer and names its peers for it.
 *
 * <p>A WS node is dialed as {@code alias:PORT}. A P2P node is dialed as {@code
 * /ip4/ADDRESS/tcp/PORT/p2p/<peer ID>} or {@code /dns4/alias/tcp/PORT/p2p/<peer ID>}, so its peer
 * ID must be known before the nodes that dial it start: either the container generates its key
 * ({@link KeySource#KEY_FILE}, the default, copied into the container and passed with {@code
 * --key}; {@link #withKey} to choose it) or the node generates it on its first start in {@code
 * --data-dir} {@value #DATA_DIR} ({@link #withKeyInDataDir()}) and keeps it there across restarts of
 * the same container; its peer ID is then read from its {@code listening} line. A hybrid node has
 * both addresses and a key as a P2P node does; {@link #dialAddresses} says which of them a node of a
 * given transport dials.
 *
 * <p>Besides starting and stopping it, a test can kill it with SIGKILL and start the same container
 * again ({@link #kill()}, {@link #restart()}: same key, same addresses) and talk to its HTTP API
 * ({@link #http()}: plain HTTP for WS, libp2p HTTP for P2P; a hybrid node over either, {@link
 * #wsHttp()} and {@link #p2pHttp()}). The container's output goes to the test log (logger {@code
 * node.<alias>}), each line prefixed with the alias and {@code |} (stdout) or {@code !} (stderr).
 */
public class GossipnetContainer extends GenericContainer<GossipnetContainer> {
  /** The port every node listens on inside its container. */
  public static final int PORT = 8080;

  /** The port a hybrid node's P2P side listens on ({@code --p2p-listen}); its WS side is on {@link #PORT}. */
  public static final int HYBRID_P2P_PORT = 8081;

  /** Where a {@link KeySource#KEY_FILE} node's key file is copied in its container. */
  public static final String KEY_PATH = "/keys/" + PeerKeyFile.DEFAULT_FILE_NAME;

  /** The {@code --data-dir} of a {@link KeySource#DATA_DIR} node: an empty directory of the image. */
  public static final String DATA_DIR = GossipnetImage.DATA_DIR;

  /** Where a P2P node's key comes from. */
  public enum KeySource {
    /** The container generates the key (or is given one) and copies it to {@value #KEY_PATH} ({@code --key}). */
    KEY_FILE,
    /**
     * The node generates it on its first start and keeps it in {@code --data-dir} {@value
     * #DATA_DIR} on the container's file system, so a restart of the same container keeps its peer ID.
     */
    DATA_DIR
  }

  /**
   * JVM options of the node in the container (read by the {@code java} launcher): a small heap and
   * the serial collector, since several nodes often share a few cores.
   */
  public static final String JAVA_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" + quietUnsafe();

  /**
   * A built image's runtime is jlinked from the JDK running the tests: from JDK 23 on, allow
   * Guice's {@code sun.misc.Unsafe} use so its warning does not fill the node's console.
   *
   * @return the option, with a leading space, or an empty string before JDK 23
   */
  public static String quietUnsafe() {
    return Runtime.version().feature() >= 23 ? " --sun-misc-unsafe-memory-access=allow" : "";
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static final Pattern PEER_ID = Pattern.compile("\"peerId\"\\s*:\\s*\"([^\"]*)\"");

  private final NodeTransport transport;
  private final String genesis;
  private final List<Attachment> attachments = new ArrayList<>();
  private volatile Logger log;
  private volatile String alias = "node";
  private volatile KeySource keySource = KeySource.KEY_FILE;
  private volatile PrivateKey key;
  private volatile Duration meshInterval;
  private volatile Duration keepAlive;
  private volatile Duration dialTimeout;
  private volatile List<String> peers = List.of();
  private volatile Integer fanout;
  private volatile boolean demoApi = true;
  private volatile List<String> runOptions = List.of();
  private volatile URI baseUri;
  private volatile URI p2pBaseUri;

  /** A link network the container joins before it starts, under its alias at a fixed address. */
  private record Attachment(LinkNetwork network, String address) {}

  /**
   * A node container; set its peers with {@link #withPeers} before {@link #start()}.
   *
   * @param image the image: the stock node or an application ({@link GossipnetImage})
   * @param transport the transport it runs
   * @param genesis the genesis ID of the network it joins
   */
  public GossipnetContainer(GossipnetImage image, NodeTransport transport, String genesis) {
    super(DockerImageName.parse(image.name()));
    this.transport = Objects.requireNonNull(transport, "transport");
    this.genesis = Objects.requireNonNull(genesis, "genesis");
    this.log = LoggerFactory.getLogger("node." + alias);
    if (transport.speaksP2p()) {
      withKey(PrivateKey.generate());
    }
    if (transport == NodeTransport.HYBRID) {
      withExposedPorts(PORT, HYBRID_P2P_PORT);
    } else {
      withExposedPorts(PORT);
    }
    withEnv("JDK_JAVA_OPTIONS", JAVA_OPTIONS);
    withLogConsumer(this::log);
    waitingFor(new ListeningWaitStrategy(1).withStartupTimeout(START_TIMEOUT));
  }

  /**
   * The node's name: its host name, its DNS alias on the cluster's links, the host of its {@code
   * --public-address}, and the prefix of its log lines (default {@code node}).
   *
   * @param name a DNS label
   * @return this container
   */
  public GossipnetContainer withAlias(String name) {
    this.alias = Objects.requireNonNull(name, "name");
    this.log = LoggerFactory.getLogger("node." + name);
    return this;
  }

  /**
   * Sets the addresses the node dials ({@code --peer}), each one of {@link #dialAddresses} of
   * another node.
   *
   * @param addresses the addresses
   * @return this container
   */
  public GossipnetContainer withPeers(List<String> addresses) {
    this.peers = List.copyOf(addresses);
    return this;
  }

  /**
   * Sets the node's {@code --fanout}, the outgoing connections its mesh keeps (without it, the
   * node's default, 4).
   *
   * @param outgoing how many
   * @return this container
   */
  public GossipnetContainer withFanout(int outgoing) {
    this.fanout = outgoing;
    return this;
  }

  /**
   * The node's {@code --fanout}, if one was set.
   *
   * @return the fanout, or empty for the node's default
   */
  public java.util.OptionalInt fanout() {
    Integer f = fanout;
    return f == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(f);
  }

  /**
   * Sets the node's {@code --mesh-interval-ms}, how often its mesh dials missing peers.
   *
   * @param interval the interval (without it, the node's default)
   * @return this container
   */
  public GossipnetContainer withMeshInterval(Duration interval) {
    this.meshInterval = interval;
    return this;
  }

  /**
   * Sets the node's {@code --keep-alive-ms}: an idle connection is pinged this often, and one that
   * stays silent for two of these is closed, after which the mesh dials again. Short keep-alives
   * let a node notice a partition and reconnect soon after it heals.
   *
   * @param interval the interval (without it, the transports' defaults: WS 10 s plus a 20 s pong
   *     timeout, P2P 30 s plus 30 s)
   * @return this container
   */
  public GossipnetContainer withKeepAlive(Duration interval) {
    this.keepAlive = interval;
    return this;
  }

  /**
   * Sets the node's {@code --dial-timeout-ms}: how long a dial may take before the mesh gives it
   * up (WS: the TCP connect; P2P: TCP, Noise and Yamux). With a mesh interval of a second and
   * a dial timeout of two, a dial made while the path was down is replaced by a fresh one at each
   * pass, so the node reconnects within a pass of a heal.
   *
   * @param timeout the timeout (without it, the transports' defaults: WS 30 s, P2P 10 s)
   * @return this container
   */
  public GossipnetContainer withDialTimeout(Duration timeout) {
    this.dialTimeout = timeout;
    return this;
  }

  /**
   * P2P or hybrid: the node's peer key, copied into the container ({@link KeySource#KEY_FILE}; a
   * fresh key is made for every container unless this is called).
   *
   * @param peerKey the Ed25519 key
   * @return this container
   */
  public GossipnetContainer withKey(PrivateKey peerKey) {
    if (!transport.speaksP2p()) {
      throw new IllegalStateException("a WS node has no peer key");
    }
    this.key = Objects.requireNonNull(peerKey, "peerKey");
    this.keySource = KeySource.KEY_FILE;
    return this;
  }

  /**
   * P2P or hybrid: the node generates its key on its first start and keeps it in {@code --data-dir}
   * {@value #DATA_DIR} ({@link KeySource#DATA_DIR}); its peer ID is known once it has printed its
   * listening line.
   *
   * @return this container
   */
  public GossipnetContainer withKeyInDataDir() {
    if (!transport.speaksP2p()) {
      throw new IllegalStateException("a WS node has no peer key to keep in a data directory");
    }
    this.keySource = KeySource.DATA_DIR;
    this.key = null;
    return this;
  }

  /**
   * Whether the node serves the demo API ({@code --demo-api}, on by default): {@link
   * NodeHttp#broadcast} and {@link NodeHttp#received}, and TX messages relayed.
   *
   * @param on whether to pass {@code --demo-api}
   * @return this container
   */
  public GossipnetContainer withDemoApi(boolean on) {
    this.demoApi = on;
    return this;
  }

  /**
   * More {@code run} options, after those the container sets ({@code --module com.example.MyModule},
   * {@code --dht}, an application's own).
   *
   * @param options the options and their values
   * @return this container
   */
  public GossipnetContainer withRunOptions(String... options) {
    List<String> all = new ArrayList<>(runOptions);
    all.addAll(List.of(options));
    this.runOptions = List.copyOf(all);
    return this;
  }

  /** Joins a link network under the alias at a fixed address, before the node starts (the cluster's wiring). */
  void attach(LinkNetwork network, String address) {
    attachments.add(new Attachment(network, address));
  }

  /** Leaves a link network: the connections over it stop carrying packets. */
  void detach(LinkNetwork network) {
    network.disconnect(getContainerId());
  }

  /** Joins a link network again, under the same alias and address. */
  void reattach(LinkNetwork network) {
    for (Attachment a : attachments) {
      if (a.network() == network) {
        network.connect(getContainerId(), alias, a.address());
        return;
      }
    }
    throw new IllegalArgumentException(alias + " was never on " + network.name());
  }

  @Override
  protected void configure() {
    super.configure();
    if (transport.speaksP2p() && keySource == KeySource.KEY_FILE) {
      // Mode 0600: the node refuses a key file that group or others can read.
      withCopyToContainer(Transferable.of(PeerKeyFile.encodePem(key).getBytes(StandardCharsets.US_ASCII), 0600), KEY_PATH);
    }
    String name = alias;
    withCreateContainerCmdModifier(cmd -> cmd.withHostName(name));
    withCommand(command().toArray(String[]::new));
  }

  /** The node's command line (the same on every start of the container). */
  private List<String> command() {
    List<String> command =
        new ArrayList<>(List.of("run", "--transport", transport.option(), "--listen", "0.0.0.0:" + PORT, "--genesis", genesis));
    for (String peer : peers) {
      command.add("--peer");
      command.add(peer);
    }
    if (transport == NodeTransport.HYBRID) {
      command.addAll(List.of("--p2p-listen", "0.0.0.0:" + HYBRID_P2P_PORT));
    }
    if (transport.speaksWs()) {
      command.addAll(List.of("--public-address", "http://" + alias + ":" + PORT));
    }
    if (transport.speaksP2p()) {
      if (keySource == KeySource.KEY_FILE) {
        command.addAll(List.of("--key", KEY_PATH));
      } else {
        command.addAll(List.of("--data-dir", DATA_DIR));
      }
    }
    if (fanout != null) {
      command.addAll(List.of("--fanout", String.valueOf(fanout)));
    }
    if (meshInterval != null) {
      command.addAll(List.of("--mesh-interval-ms", String.valueOf(meshInterval.toMillis())));
    }
    if (keepAlive != null) {
      command.addAll(List.of("--keep-alive-ms", String.valueOf(keepAlive.toMillis())));
    }
    if (dialTimeout != null) {
      command.addAll(List.of("--dial-timeout-ms", String.valueOf(dialTimeout.toMillis())));
    }
    if (demoApi) {
      command.add("--demo-api");
    }
    command.addAll(runOptions);
    return command;
  }

  /**
   * The node's {@code run} command line, as the container passes it.
   *
   * @return the arguments after the image's entrypoint
   */
  public List<String> runCommand() {
    return List.copyOf(command());
  }

  /**
   * The transport the node runs.
   *
   * @return the transport
   */
  public NodeTransport transport() {
    return transport;
  }

  /**
   * Where the node's P2P key comes from.
   *
   * @return the key source (meaningless for a WS node)
   */
  public KeySource keySource() {
    return keySource;
  }

  /**
   * The port the node's libp2p side listens on in its container.
   *
   * @return {@link #PORT} for a P2P node, {@link #HYBRID_P2P_PORT} for a hybrid node
   * @throws IllegalStateException for a WS node
   */
  public int p2pPort() {
    if (!transport.speaksP2p()) {
      throw new IllegalStateException(alias + " is a WS node: it has no libp2p port");
    }
    return transport == NodeTransport.HYBRID ? HYBRID_P2P_PORT : PORT;
  }

  /**
   * The node's libp2p address at a host name or address the dialer reaches it by.
   *
   * @param host an IPv4 address, or a DNS name (then {@code /dns4})
   * @return {@code /ip4/HOST/tcp/P2P_PORT/p2p/<peer ID>} or {@code /dns4/HOST/tcp/P2P_PORT/p2p/<peer ID>}
   * @throws IllegalStateException for a WS node
   */
  public String p2pPeerAddress(String host) {
    String protocol = host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? "/ip4/" : "/dns4/";
    return protocol + host + "/tcp/" + p2pPort() + "/p2p/" + peerId();
  }

  /**
   * The node's WebSocket address as other nodes dial it.
   *
   * @return {@code alias:PORT}
   * @throws IllegalStateException for a P2P node
   */
  public String wsPeerAddress() {
    if (!transport.speaksWs()) {
      throw new IllegalStateException(alias + " is a P2P node: it has no WS address");
    }
    return alias + ":" + PORT;
  }

  /**
   * The addresses a node of transport {@code dialer} gives as {@code --peer} to reach this one: the
   * WS address if both speak WS, the libp2p address if both speak libp2p; a hybrid dialing a hybrid
   * gets both (the two then end with one connection).
   *
   * @param dialer the transport of the node that dials
   * @param host how the dialer reaches this node: its address on the link they share, or its alias
   * @return one or two addresses
   * @throws IllegalArgumentException if the two nodes share no transport (a WS node cannot dial a P2P one)
   */
  public List<String> dialAddresses(NodeTransport dialer, String host) {
    List<String> out = new ArrayList<>(2);
    if (dialer.speaksWs() && transport.speaksWs()) {
      out.add(wsPeerAddress());
    }
    if (dialer.speaksP2p() && transport.speaksP2p()) {
      out.add(p2pPeerAddress(host));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("a " + dialer + " node cannot dial " + alias + ", a " + transport + " node");
    }
    return out;
  }

  /**
   * The node's peer ID: the one of the key the container was given, or, for a {@link KeySource#DATA_DIR}
   * node, the one in its last {@code listening} line.
   *
   * @return the base58 peer ID
   * @throws IllegalStateException for a WS node, or a data-dir node that has not started yet
   */
  public String peerId() {
    if (!transport.speaksP2p()) {
      throw new IllegalStateException(alias + " is a " + transport + " node: it has no peer ID");
    }
    if (key != null) {
      return key.peerId().toBase58();
    }
    List<String> printed = listeningPeerIds();
    if (printed.isEmpty()) {
      throw new IllegalStateException(alias + " keeps its key in " + DATA_DIR + " and has not printed its peer ID yet");
    }
    return printed.getLast();
  }

  @Override
  protected void containerIsCreated(String containerId) {
    // Join the links before the node starts, so its first dials can resolve its peers.
    for (Attachment a : attachments) {
      a.network().connect(containerId, alias, a.address());
    }
  }

  @Override
  protected void containerIsStarted(InspectContainerResponse containerInfo) {
    readMappedPorts(containerInfo);
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
   * The node's last {@code listening} line, read as JSON: {@code address} (WS, hybrid), {@code
   * network} (P2P, hybrid), {@code peerId} and {@code addrs} (P2P, hybrid: the listen multiaddrs).
   *
   * @return the line's object
   * @throws IllegalStateException if the node has printed none
   * @throws AssertionError if it is not a JSON object
   */
  public JsonNode listeningLine() {
    Matcher m = ListeningWaitStrategy.LISTENING.matcher(getLogs(OutputFrame.OutputType.STDOUT));
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      throw new IllegalStateException(alias + " has printed no listening line");
    }
    try {
      JsonNode line = NodeHttp.JSON.readTree(last);
      if (line == null || !line.isObject()) {
        throw new AssertionError(alias + ": the listening line is not a JSON object: " + last);
      }
      return line;
    } catch (JacksonException e) {
      throw new AssertionError(alias + ": the listening line is not JSON: " + last, e);
    }
  }

  /**
   * The {@code peerId} of every P2P or hybrid {@code listening} line the node has printed, one per
   * start of its container, in order.
   *
   * @return the peer IDs (empty for a WS node)
   */
  public List<String> listeningPeerIds() {
    List<String> ids = new ArrayList<>();
    Matcher m = ListeningWaitStrategy.LISTENING.matcher(getLogs(OutputFrame.OutputType.STDOUT));
    while (m.find()) {
      Matcher id = PEER_ID.matcher(m.group());
      if (id.find()) {
        ids.add(id.group(1));
      }
    }
    return ids;
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
   * The node's HTTP API at its mapped port: plain HTTP for a WS node, HTTP over libp2p to the peer
   * ID of its last {@code listening} line for a P2P node; a hybrid node serves the same router on
   * both, and this is its WS side ({@link #wsHttp()}; {@link #p2pHttp()} is the other).
   *
   * @return a client for it
   */
  public NodeHttp http() {
    return transport.speaksWs() ? wsHttp() : p2pHttp();
  }

  /**
   * The node's HTTP API over plain HTTP at its mapped WS port.
   *
   * @return a client for it
   * @throws IllegalStateException for a P2P node, or a node that is not started
   */
  public NodeHttp wsHttp() {
    if (!transport.speaksWs()) {
      throw new IllegalStateException(alias + " is a P2P node: it serves HTTP only over libp2p");
    }
    return new WsNodeHttp(alias, mappedBase(), genesis);
  }

  /**
   * The node's HTTP API over libp2p HTTP at its mapped libp2p port, to the peer ID of its last
   * {@code listening} line.
   *
   * @return a client for it
   * @throws IllegalStateException for a WS node, or a node that is not started
   */
  public NodeHttp p2pHttp() {
    if (!transport.speaksP2p()) {
      throw new IllegalStateException(alias + " is a WS node: it has no libp2p side");
    }
    URI uri = transport == NodeTransport.HYBRID ? p2pBaseUri : baseUri;
    if (uri == null) {
      throw new IllegalStateException(alias + " is not started");
    }
    List<String> printed = listeningPeerIds();
    if (printed.isEmpty()) {
      throw new IllegalStateException(alias + " has printed no peer ID");
    }
    Multiaddr mapped;
    try {
      mapped = Multiaddr.fromSocketAddress(new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort()));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(alias + ": cannot resolve the Docker host " + uri.getHost(), e);
    }
    return new P2pNodeHttp(alias, mapped.withPeerId(PeerId.fromString(printed.getLast())), genesis);
  }

  /**
   * The test host's way to the node's port {@link #PORT} (a hybrid node's WS side).
   *
   * @return {@code http://HOST:MAPPED_PORT}
   * @throws IllegalStateException if the node is not started
   */
  public URI mappedBase() {
    URI uri = baseUri;
    if (uri == null) {
      throw new IllegalStateException(alias + " is not started");
    }
    return uri;
  }

  /**
   * A file of the container's file system, and its permission bits, as {@code docker cp} sees them
   * (the container may be stopped).
   *
   * @param path the file's absolute path in the container
   * @return its content and mode
   */
  public ContainerFile file(String path) {
    try (InputStream archive = getDockerClient().copyArchiveFromContainerCmd(getContainerId(), path).exec();
        TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
      TarArchiveEntry entry = tar.getNextEntry();
      if (entry == null || !entry.isFile()) {
        throw new IllegalStateException(alias + ": " + path + " is not a file");
      }
      return new ContainerFile(tar.readAllBytes(), entry.getMode() & 0777);
    } catch (IOException e) {
      throw new UncheckedIOException(alias + ": cannot copy " + path + " out of the container", e);
    }
  }

  /**
   * A file copied out of a container.
   *
   * @param content its bytes
   * @param mode its permission bits ({@code 0600} is {@code rw-------})
   */
  public record ContainerFile(byte[] content, int mode) {}

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
    readMappedPorts(inspect());
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

  private void readMappedPorts(InspectContainerResponse info) {
    baseUri = mappedUri(info, PORT);
    if (transport == NodeTransport.HYBRID) {
      p2pBaseUri = mappedUri(info, HYBRID_P2P_PORT);
    }
  }

  private URI mappedUri(InspectContainerResponse info, int port) {
    Map<ExposedPort, Ports.Binding[]> bindings = info.getNetworkSettings().getPorts().getBindings();
    Ports.Binding[] binding = bindings.get(ExposedPort.tcp(port));
    if (binding == null || binding.length == 0) {
      throw new IllegalStateException(alias + ": port " + port + " is not mapped: " + bindings);
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
