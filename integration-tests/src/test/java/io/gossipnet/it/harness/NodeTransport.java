package io.gossipnet.it.harness;

/**
 * The transport a node container runs ({@code gossipnet run --transport ws|p2p}): it decides how
 * nodes name each other as {@code --peer}, how the node's listening line reads, and which {@link
 * NodeHttp} the test talks to the node with.
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
  P2P("p2p");

  private final String option;

  NodeTransport(String option) {
    this.option = option;
  }

  /**
   * The value of {@code --transport}.
   *
   * @return {@code ws} or {@code p2p}
   */
  public String option() {
    return option;
  }
}
