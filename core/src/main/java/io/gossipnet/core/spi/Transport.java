package io.gossipnet.core.spi;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A way to reach peers: listens, dials, runs the handshake, and hands established {@link
 * MessageConnection}s to the engine. WebSocket, libp2p and in-memory transports implement it; the
 * engine ({@link io.gossipnet.core.engine.NetworkEngine}) does everything else.
 */
public interface Transport {
  /** The network type reported for this transport's peers: {@code "ws"}, {@code "p2p"}, ... */
  String networkType();

  /**
   * Starts listening if the configuration asks for it. From now on the transport reports every
   * accepted, handshaken connection to {@link TransportContext#acceptIncoming}.
   */
  void start(TransportContext context) throws IOException;

  /** Stops listening and closes the transport's resources. Idempotent. */
  void stop();

  /** The address peers can dial this node at, once listening. */
  Optional<String> listenAddress();

  /**
   * Dials {@code address} and runs the handshake. The future fails with {@link HandshakeException}
   * when the remote refused (with its status and any Retry-After), or with an IOException. It
   * completes with {@link EstablishedConnection#remoteOpens()} when the remote, not this node,
   * opens the gossip channel on the new connection.
   */
  CompletableFuture<EstablishedConnection> dial(String address);

  /**
   * The form of an address used to compare it with others (to avoid dialing an address twice or
   * dialing ourselves). By default the address itself.
   */
  default String canonicalAddress(String address) {
    return address;
  }

  /**
   * The identity key (raw Ed25519 public key) that {@code address} itself names, when it names one:
   * a libp2p multiaddr's {@code /p2p/<peer ID>}. The mesh does not dial an address whose node is
   * already connected under that key, over this network or another one of the node. By default
   * none (a WS address says nothing of its node's key).
   */
  default java.util.Optional<byte[]> identityOf(String address) {
    return java.util.Optional.empty();
  }

  /**
   * What the engine does differently over this transport (message-of-interest, liveness checks,
   * identity messages). By default every check is on.
   */
  default TransportPolicy policy() {
    return TransportPolicy.DEFAULT;
  }

  /**
   * Every connection the transport holds, including those that carry no engine peer (a libp2p
   * connection with no gossip stream): what {@code TRANSPORT_CONNECTIONS_IN/OUT} list. Empty if
   * every connection of the transport is an engine peer; the engine then lists its peers.
   */
  default java.util.Optional<java.util.List<ConnectionInfo>> connections() {
    return java.util.Optional.empty();
  }

  /** How this transport serves and calls HTTP, or null if it does not. */
  HttpHosting http();

  /**
   * A dialed connection and what its handshake established.
   *
   * @param connection the connection
   * @param handshake the handshake data
   */
  record EstablishedConnection(MessageConnection connection, PeerHandshake handshake) {
    private static final EstablishedConnection REMOTE_OPENS = new EstablishedConnection(null, null);

    /**
     * The dial connected, but the remote opens the gossip channel (over libp2p only the peer whose
     * ID sorts lower opens the stream): the peer reaches the engine through {@link
     * TransportContext#acceptIncoming}, as an outgoing connection.
     */
    public static EstablishedConnection remoteOpens() {
      return REMOTE_OPENS;
    }

    /** Whether this is {@link #remoteOpens()}: no connection to add now. */
    public boolean isRemoteOpened() {
      return connection == null;
    }
  }

  /**
   * A connection as a transport lists it.
   *
   * @param address the remote address
   * @param networkType the transport's network type
   * @param outgoing whether this node dialed it
   * @param stableId the remote's stable id (see {@link io.gossipnet.core.PeerConnectionInfo#stableId()})
   */
  record ConnectionInfo(String address, String networkType, boolean outgoing, String stableId)
      implements io.gossipnet.core.PeerConnectionInfo {}
}
