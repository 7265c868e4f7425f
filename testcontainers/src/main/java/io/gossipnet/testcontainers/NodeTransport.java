package io.gossipnet.testcontainers;

/**
 * The transport a node container runs ({@code gossipnet run --transport ws|p2p|hybrid}): it decides
 * which ports the node listens on, how nodes name each other as {@code --peer} ({@link
 * GossipnetContainer#dialAddresses}), how the node's listening line reads, and which {@link NodeHttp}
 * the test talks to the node with.
 */
public enum NodeTransport {
  /**
   * WebSocket: peers are {@code alias:PORT}; {@code /status} and the demo API are plain HTTP on the
   * node's port ({@link WsNodeHttp}).
   */
  WS("ws"),
  /**
   * libp2p: peers are {@code /ip4/ADDRESS/tcp/PORT/p2p/<peer ID>}; {@code /status} and the demo API
   * are served only over libp2p HTTP ({@link P2pNodeHttp}).
   */
  P2P("p2p"),
  /**
   * Both at once ({@code HybridNetwork}): WS on {@link GossipnetContainer#PORT} and libp2p on {@link
   * GossipnetContainer#HYBRID_P2P_PORT}, one identity (the WS identity challenge signs with the libp2p
   * key, so the node has a peer ID). A WS node dials it as {@code alias:PORT}, a P2P node at its
   * multiaddr, a hybrid node at both; {@code /status} and the demo API are served on both ports
   * ({@link GossipnetContainer#wsHttp()}, {@link GossipnetContainer#p2pHttp()}).
   */
  HYBRID("hybrid");

  private final String option;

  NodeTransport(String option) {
    this.option = option;
  }

  /**
   * The value of {@code --transport}.
   *
   * @return {@code ws}, {@code p2p} or {@code hybrid}
   */
  public String option() {
    return option;
  }

  /**
   * Whether the node speaks WebSocket (it has a WS address, {@code alias:PORT}).
   *
   * @return true for WS and hybrid
   */
  public boolean speaksWs() {
    return this != P2P;
  }

  /**
   * Whether the node speaks libp2p (it has a peer key and a multiaddr).
   *
   * @return true for P2P and hybrid
   */
  public boolean speaksP2p() {
    return this != WS;
  }
}
