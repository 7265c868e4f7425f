package io.gossipnet.testkit;

import io.gossipnet.core.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link GossipNodeContract} asks of a node it wants created: everything the contract depends
 * on, and nothing about addresses, which are the transport's business ({@link
 * NodeFactory#create}).
 *
 * @param name a name unique within one test ({@code relay-1}, {@code client-2}); transports that
 *     name their nodes (the in-memory one: {@code mem://name}) use it, others may ignore it
 * @param genesisId the network's name
 * @param relay {@code true}: the node listens for incoming gossip connections and relays; {@code
 *     false}: a client that does not listen (its {@link io.gossipnet.core.GossipNode#address()} is
 *     empty) and does not relay
 * @param fanout the outgoing connections the node's mesh keeps ({@link
 *     NetworkConfig#gossipFanout()}); also the peer count at which it is ready
 * @param relayPeers the addresses the node dials (each one of another node's {@link
 *     NodeFactory#dialAddresses}), as persistent phonebook relays
 * @param broadcastQueueBulkSize capacity of the broadcaster's bulk queue
 * @param meshInterval time between the mesh's periodic passes
 * @param eventualReadyDelay how long after its first peer the node is ready anyway
 * @param maxConnectionsPerIp incoming connections accepted from one address ({@link
 *     NetworkConfig#maxConnectionsPerIp()}; every test node is on loopback, so a relay with more
 *     clients than the default needs more)
 */
public record NodeOptions(
    String name,
    String genesisId,
    boolean relay,
    int fanout,
    List<String> relayPeers,
    int broadcastQueueBulkSize,
    Duration meshInterval,
    Duration eventualReadyDelay,
    int maxConnectionsPerIp) {

  /** The genesis ID the contract's nodes use unless a test says otherwise. */
  public static final String DEFAULT_GENESIS = "contract-v1";
  /**
   * The mesh interval of the contract's nodes: short, so a node that lost a peer dials again
   * quickly (a test that must see {@code requestConnectOutgoing} do it sets a long one).
   */
  public static final Duration DEFAULT_MESH_INTERVAL = Duration.ofSeconds(1);

  /** Checks and copies. */
  public NodeOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(genesisId, "genesisId");
    relayPeers = List.copyOf(relayPeers);
    Objects.requireNonNull(meshInterval, "meshInterval");
    Objects.requireNonNull(eventualReadyDelay, "eventualReadyDelay");
  }

  /**
   * A listening, relaying node with fanout 1 and no relay peers (its mesh finds nobody to dial);
   * otherwise the defaults.
   */
  public static NodeOptions relay(String name) {
    return new NodeOptions(name, DEFAULT_GENESIS, true, 1, List.of(), NetworkConfig.DEFAULT_BROADCAST_QUEUE_BULK_SIZE,
        DEFAULT_MESH_INTERVAL, NetworkConfig.DEFAULT_EVENTUAL_READY_DELAY, NetworkConfig.DEFAULT_MAX_CONNECTIONS_PER_IP);
  }

  /** A client (not listening) that dials {@code relayPeers} with fanout 1. */
  public static NodeOptions client(String name, List<String> relayPeers) {
    return new NodeOptions(name, DEFAULT_GENESIS, false, 1, relayPeers, NetworkConfig.DEFAULT_BROADCAST_QUEUE_BULK_SIZE,
        DEFAULT_MESH_INTERVAL, NetworkConfig.DEFAULT_EVENTUAL_READY_DELAY, NetworkConfig.DEFAULT_MAX_CONNECTIONS_PER_IP);
  }

  /** These options with another fanout. */
  public NodeOptions withFanout(int v) {
    return new NodeOptions(name, genesisId, relay, v, relayPeers, broadcastQueueBulkSize, meshInterval, eventualReadyDelay, maxConnectionsPerIp);
  }

  /** These options dialing {@code v}. */
  public NodeOptions withRelayPeers(List<String> v) {
    return new NodeOptions(name, genesisId, relay, fanout, v, broadcastQueueBulkSize, meshInterval, eventualReadyDelay, maxConnectionsPerIp);
  }

  /** These options with another bulk broadcast queue capacity. */
  public NodeOptions withBroadcastQueueBulkSize(int v) {
    return new NodeOptions(name, genesisId, relay, fanout, relayPeers, v, meshInterval, eventualReadyDelay, maxConnectionsPerIp);
  }

  /** These options with another mesh interval. */
  public NodeOptions withMeshInterval(Duration v) {
    return new NodeOptions(name, genesisId, relay, fanout, relayPeers, broadcastQueueBulkSize, v, eventualReadyDelay, maxConnectionsPerIp);
  }

  /** These options with another eventual-ready delay. */
  public NodeOptions withEventualReadyDelay(Duration v) {
    return new NodeOptions(name, genesisId, relay, fanout, relayPeers, broadcastQueueBulkSize, meshInterval, v, maxConnectionsPerIp);
  }

  /** These options with another per-address limit on incoming connections. */
  public NodeOptions withMaxConnectionsPerIp(int v) {
    return new NodeOptions(name, genesisId, relay, fanout, relayPeers, broadcastQueueBulkSize, meshInterval, eventualReadyDelay, v);
  }

  /** These options with another genesis ID. */
  public NodeOptions withGenesisId(String v) {
    return new NodeOptions(name, v, relay, fanout, relayPeers, broadcastQueueBulkSize, meshInterval, eventualReadyDelay, maxConnectionsPerIp);
  }

  /**
   * A {@link NetworkConfig} builder with every option except the addresses set: a factory over the
   * engine adds {@code listenAddress} (and {@code publicAddress}) for a relay and builds.
   */
  public NetworkConfig.Builder networkConfig() {
    return NetworkConfig.builder(genesisId)
        .gossipFanout(fanout)
        .relayPeers(relayPeers)
        .broadcastQueueBulkSize(broadcastQueueBulkSize)
        .meshInterval(meshInterval)
        .eventualReadyDelay(eventualReadyDelay)
        .maxConnectionsPerIp(maxConnectionsPerIp);
  }
}
