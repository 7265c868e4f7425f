package io.gossipnet.core;

import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.PeerHttpClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A node of a gossip network: the one API over every transport.
 *
 * <p>Messages go out with {@link #broadcast} (to every connected peer) and {@link #relay} (the same,
 * but only on nodes that relay). Messages come in through {@link MessageHandler}s registered per
 * {@link Tag}; a handler's {@link OutgoingMessage} says what to do next. Peers are found with
 * {@link #getPeers(PeerOption...)}. The node serves HTTP handlers registered with {@link
 * #registerHttpHandler} on whatever server its transport runs.
 */
public interface GossipNode {
  /**
   * This node's own address, if it is listening, for example {@code http://127.0.0.1:4160}. Empty
   * when the node does not listen.
   */
  Optional<String> address();

  /**
   * Sends a message to every connected peer except {@code except}.
   *
   * <p>With {@code wait == false} the call never blocks: if the broadcast queue is full it throws
   * {@link GossipException.QueueFull} (and counts it). With {@code wait == true} it blocks until the
   * message was handed to every peer's send queue, which is not the same as written to the socket.
   * A full peer queue drops the message for that peer only, and counts it.
   *
   * @param tag the message's tag; high-priority tags use the high-priority queues
   * @param data the payload; not copied, so the caller must not modify it afterwards
   * @param wait whether to block until the message is queued to every peer
   * @param except a peer to skip (usually the one the message came from), or null
   * @throws GossipException.Closed if the network is stopped
   */
  void broadcast(Tag tag, byte[] data, boolean wait, Peer except);

  /**
   * {@link #broadcast} on nodes that relay (listening nodes, or with {@code forceRelayMessages});
   * nothing on other nodes.
   */
  void relay(Tag tag, byte[] data, boolean wait, Peer except);

  /** Closes a peer's connection, usually after a protocol error (reason {@code BadData}). */
  void disconnect(Peer peer);

  /** Closes every peer connection (tests and operator commands). */
  void disconnectPeers();

  /**
   * Serves HTTP requests on {@code path} on the node's HTTP server(s). Path segments of the form
   * {@code {name}} match one segment and are given to the handler; {@code {genesisID}} must equal
   * this node's genesis ID.
   */
  void registerHttpHandler(String path, HttpHandler handler);

  /**
   * Serves HTTP requests on {@code path} for {@code methods} only (empty for every method): a
   * request to the path with another method gets {@code 405} with an {@code Allow} header. The
   * same routing policy applies on every transport (see {@link
   * io.gossipnet.core.http.HttpRouter}).
   */
  void registerHttpHandler(String path, java.util.Set<String> methods, HttpHandler handler);

  /**
   * Asks the mesh to look for outgoing connections now.
   *
   * @param waitUntilProcessed whether to block until that mesh pass has run
   */
  void requestConnectOutgoing(boolean waitUntilProcessed);

  /** A snapshot of the peers in each of the requested classes, in the order asked. */
  List<Peer> getPeers(PeerOption... options);

  /** Starts listening and connecting. */
  void start();

  /** Closes every peer, stops the transport and the node's threads. Idempotent. */
  void stop();

  /**
   * Adds message handlers.
   *
   * @throws IllegalStateException if a tag already has a handler
   */
  void registerHandlers(List<TaggedHandler> handlers);

  /** Removes every handler the application registered. */
  void clearHandlers();

  /**
   * Adds synchronous validators (used by pubsub transports before forwarding; ignored by the
   * others).
   *
   * @throws IllegalStateException if a tag already has a validator
   */
  void registerValidators(List<TaggedValidator> validators);

  /** Removes every validator. */
  void clearValidators();

  /** An HTTP client bound to the peer at {@code address}, rate-limited per address. */
  PeerHttpClient httpClient(String address);

  /** Tells the network that the application made progress (the seed's agreement watchdog tick). */
  void onNetworkAdvance();

  /** The genesis ID: the name of the network this node belongs to. */
  String genesisId();

  /**
   * Completes once the node has as many peers as its fanout, or a while (the eventual-ready delay)
   * after its first peer.
   */
  CompletionStage<Void> ready();
}
