package io.gossipnet.hybrid;

import io.gossipnet.core.NetworkConfig;
import io.gossipnet.p2p.P2PConfig;
import io.gossipnet.ws.WsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a {@link HybridNetwork} (inventory 9): the node's {@link NetworkConfig}, whose
 * listen address, public address and incoming limit are the WebSocket side's, plus the P2P side's
 * own listen address and incoming limit (the seed's {@code P2PHybridNetAddress} and {@code
 * P2PHybridIncomingConnectionsLimit}), the WebSocket settings and the libp2p settings (the key,
 * which is also the node's WS identity).
 *
 * <p>{@link NetworkConfig#relayPeers()} is one list for both networks: host:port entries and
 * URLs go to the WS side, {@code /p2p/} multiaddrs to the P2P side ({@link #wsPeers()}, {@link
 * #p2pPeers()}); a multiaddr without a peer ID is named in {@link #ignoredPeers()} and dialed by
 * neither.
 *
 * <p>{@link #validate()} runs the seed's {@code ValidateP2PHybridConfig} and is called by {@link
 * Builder#build()}: both listen addresses or neither; a public address when listening; a
 * non-negative P2P incoming limit.
 *
 * @param network the node's settings; its listen address and incoming limit are the WS side's
 * @param ws the WebSocket transport's settings
 * @param p2p the libp2p transport's settings
 * @param p2pListenAddress the P2P listen address ({@code host:port} or a multiaddr), or empty
 * @param p2pIncomingConnectionsLimit the P2P side's incoming connection limit
 * @param mesh how the two networks find outgoing connections
 */
public record HybridConfig(
    NetworkConfig network,
    WsConfig ws,
    P2PConfig p2p,
    String p2pListenAddress,
    int p2pIncomingConnectionsLimit,
    MeshMode mesh) {

  /** The seed's default of {@code P2PHybridIncomingConnectionsLimit}. */
  public static final int DEFAULT_P2P_INCOMING_CONNECTIONS_LIMIT = 1200;

  /** How a hybrid node keeps its outgoing connections (inventory 9, "Mesh"). */
  public enum MeshMode {
    /**
     * A listening node (both listen addresses set) runs {@link #HYBRID_RELAY}; a client runs
     * {@link #PER_NETWORK}. The seed's default.
     */
    AUTO,
    /**
     * One mesher for both networks: each pass dials WS first toward the fanout, then P2P fills
     * the rest, and the P2P pass always runs (it refreshes the DHT peers). About {@code
     * gossipFanout} outgoing connections in all, WS preferred.
     */
    HYBRID_RELAY,
    /** Each network runs its own mesh toward the fanout: up to twice the fanout outgoing. */
    PER_NETWORK
  }

  /** Checks the fields are present; {@link #validate()} checks the combination. */
  public HybridConfig {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(ws, "ws");
    Objects.requireNonNull(p2p, "p2p");
    p2pListenAddress = p2pListenAddress == null ? "" : p2pListenAddress.trim();
    Objects.requireNonNull(mesh, "mesh");
  }

  /** A builder over the node's settings, with default WS and P2P settings (a fresh libp2p key). */
  public static Builder builder(NetworkConfig network) {
    return new Builder(network);
  }

  /**
   * The seed's {@code ValidateP2PHybridConfig}.
   *
   * @throws IllegalArgumentException naming the rule that fails
   */
  public HybridConfig validate() {
    boolean ws = !network.listenAddress().isEmpty();
    boolean p = !p2pListenAddress.isEmpty();
    if (ws != p) {
      throw new IllegalArgumentException(
          "a hybrid node needs both listen addresses or neither: WS listen address '"
              + network.listenAddress() + "', P2P listen address '" + p2pListenAddress + "'");
    }
    if (ws && network.publicAddress().isEmpty()) {
      throw new IllegalArgumentException(
          "a listening hybrid node needs a public address (it is the WS identity's dedup name, so a node"
              + " reached over both transports is connected once)");
    }
    if (p2pIncomingConnectionsLimit < 0) {
      throw new IllegalArgumentException("the P2P incoming connections limit must be >= 0, got " + p2pIncomingConnectionsLimit);
    }
    return this;
  }

  /** Whether the node listens on both networks (the seed's {@code IsHybridServer}). */
  public boolean isServer() {
    return !network.listenAddress().isEmpty() && !p2pListenAddress.isEmpty();
  }

  /** Whether one hybrid mesher drives both networks ({@link MeshMode#AUTO} on a server). */
  public boolean hybridRelayMesh() {
    return mesh == MeshMode.HYBRID_RELAY || (mesh == MeshMode.AUTO && isServer());
  }

  /** The relay peers that are WS addresses (host:port or URLs): every entry not starting with {@code /}. */
  public List<String> wsPeers() {
    List<String> out = new ArrayList<>();
    for (String a : network.relayPeers()) {
      if (!isMultiaddr(a)) {
        out.add(a.trim());
      }
    }
    return out;
  }

  /** The relay peers that are multiaddrs with a peer ID ({@code .../p2p/<id>}). */
  public List<String> p2pPeers() {
    List<String> out = new ArrayList<>();
    for (String a : network.relayPeers()) {
      if (isMultiaddr(a) && a.contains("/p2p/")) {
        out.add(a.trim());
      }
    }
    return out;
  }

  /** The relay peers neither side dials: multiaddrs without a {@code /p2p/<id>} part. */
  public List<String> ignoredPeers() {
    List<String> out = new ArrayList<>();
    for (String a : network.relayPeers()) {
      if (isMultiaddr(a) && !a.contains("/p2p/")) {
        out.add(a.trim());
      }
    }
    return out;
  }

  /** The WS side's settings: the node's, with only the WS relay peers. */
  public NetworkConfig wsNetworkConfig() {
    return network.toBuilder().relayPeers(wsPeers()).build();
  }

  /**
   * The P2P side's settings: the node's, with the P2P listen address and incoming limit and only
   * the {@code /p2p/} relay peers.
   */
  public NetworkConfig p2pNetworkConfig() {
    return network.toBuilder()
        .listenAddress(p2pListenAddress)
        .incomingConnectionsLimit(p2pIncomingConnectionsLimit)
        .relayPeers(p2pPeers())
        .build();
  }

  /** Whether {@code address} is a multiaddr (the seed's {@code addr.IsMultiaddr}: it starts with {@code /}). */
  public static boolean isMultiaddr(String address) {
    return address != null && address.trim().startsWith("/");
  }

  /** Builds a {@link HybridConfig}. */
  public static final class Builder {
    private final NetworkConfig network;
    private WsConfig ws = WsConfig.defaults();
    private P2PConfig p2p;
    private String p2pListenAddress = "";
    private int p2pIncomingConnectionsLimit = DEFAULT_P2P_INCOMING_CONNECTIONS_LIMIT;
    private MeshMode mesh = MeshMode.AUTO;

    private Builder(NetworkConfig network) {
      this.network = Objects.requireNonNull(network, "network");
    }

    /** The WebSocket settings (default {@link WsConfig#defaults()}). */
    public Builder ws(WsConfig v) {
      this.ws = v;
      return this;
    }

    /** The libp2p settings, with the node's key (default: a fresh key). */
    public Builder p2p(P2PConfig v) {
      this.p2p = v;
      return this;
    }

    /** The P2P listen address ({@code host:port} or {@code /ip4/.../tcp/...}); empty for none. */
    public Builder p2pListenAddress(String v) {
      this.p2pListenAddress = v;
      return this;
    }

    /** The P2P incoming connection limit (default {@value #DEFAULT_P2P_INCOMING_CONNECTIONS_LIMIT}). */
    public Builder p2pIncomingConnectionsLimit(int v) {
      this.p2pIncomingConnectionsLimit = v;
      return this;
    }

    /** The mesh mode (default {@link MeshMode#AUTO}). */
    public Builder mesh(MeshMode v) {
      this.mesh = v;
      return this;
    }

    /**
     * The validated settings.
     *
     * @throws IllegalArgumentException if {@link HybridConfig#validate()} fails
     */
    public HybridConfig build() {
      return new HybridConfig(network, ws, p2p == null ? P2PConfig.defaults() : p2p, p2pListenAddress,
          p2pIncomingConnectionsLimit, mesh).validate();
    }
  }
}
