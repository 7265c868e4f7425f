package io.gossipnet.testkit;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.Peer;
import io.gossipnet.core.engine.WsPeer;
import io.gossipnet.core.http.HttpRouter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What a transport supplies to run {@link GossipNodeContract}: it makes nodes from {@link
 * NodeOptions} and says how other nodes reach them. One factory serves one test; the contract
 * starts and stops the nodes itself.
 *
 * <pre>{@code
 * class WsGossipNodeContractTest extends GossipNodeContract {
 *   protected NodeFactory factory() {
 *     return options -> {
 *       NetworkConfig.Builder c = options.networkConfig();
 *       if (options.relay()) {
 *         int port = FreePorts.loopback();
 *         c.listenAddress("127.0.0.1:" + port).publicAddress("http://127.0.0.1:" + port);
 *       }
 *       return new WsNetwork(c.build());
 *     };
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface NodeFactory extends AutoCloseable {

  /**
   * Creates a node, not started. A relay must listen once started (on loopback, on a port of its
   * own); a client must not listen.
   *
   * @param options what the node must be
   */
  GossipNode create(NodeOptions options);

  /**
   * Every address at which other nodes can dial this started node (and call its HTTP handlers
   * through {@link GossipNode#httpClient}); empty when it does not listen. By default its {@link
   * GossipNode#address()}. A node on several transports (a hybrid node) lists one address per
   * transport, for example its WebSocket URL and its libp2p multiaddr: the contract puts all of
   * them in a dialing node's {@link NodeOptions#relayPeers()} and calls HTTP over each one.
   */
  default List<String> dialAddresses(GossipNode node) {
    return node.address().map(List::of).orElse(List.of());
  }

  /**
   * Waits until {@code node}'s connections stop changing, once the contract has seen the peers it
   * waited for; the contract then checks the count again and takes its peer handles. A node that
   * may connect to one peer over several transports and then close all but one (a hybrid node's
   * duplicate resolution) waits here until that is done. By default nothing: a connection the
   * contract saw is the one that stays.
   */
  default void awaitSettled(GossipNode node) {}

  /** How this transport differs from the others where the API allows it; none by default. */
  default TransportCapabilities capabilities() {
    return TransportCapabilities.gossipConnectionsOnly();
  }

  /**
   * The reason {@code peer} (a handle from {@link GossipNode#getPeers} or a message's sender) is or
   * will be closed with, if the implementation exposes it. The {@code GossipNode} API has no
   * capability interface for it, so the default reads the close future of the engine's peer
   * ({@link WsPeer#closed()}), which every node built on {@code NetworkEngine} hands out; another
   * implementation returns its own, or empty (the contract then checks only that the peer is gone).
   */
  default Optional<CompletionStage<DisconnectReason>> closeReason(Peer peer) {
    return peer instanceof WsPeer p ? Optional.of(p.closed()) : Optional.empty();
  }

  /**
   * The largest HTTP request body the nodes serve; a larger one gets {@code 413}. By default the
   * router's, {@link HttpRouter#DEFAULT_MAX_REQUEST_BODY_BYTES}.
   */
  default int maxHttpRequestBodyBytes() {
    return HttpRouter.DEFAULT_MAX_REQUEST_BODY_BYTES;
  }

  /**
   * Name prefixes of the threads (platform and virtual) that this transport's nodes start; every
   * one of them must have ended once the nodes are stopped. By default the engine's {@code
   * gossipnet-} threads.
   */
  default List<String> threadNamePrefixes() {
    return List.of("gossipnet-");
  }

  /**
   * The engines behind {@code node}, whose meters a contract reads (a load contract counts the
   * drops on them): by default the node itself when it is a {@link
   * io.gossipnet.core.engine.NetworkEngine}, else none. A node on several transports lists one
   * engine per transport.
   */
  default List<io.gossipnet.core.engine.NetworkEngine> engines(GossipNode node) {
    return node instanceof io.gossipnet.core.engine.NetworkEngine e ? List.of(e) : List.of();
  }

  /** Releases what the factory holds beyond its nodes (the contract has stopped them); nothing by default. */
  @Override
  default void close() {}
}
