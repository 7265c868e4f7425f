package io.gossipnet.guice;

import com.google.inject.Key;
import com.google.inject.name.Names;
import io.gossipnet.core.GossipNode;

/**
 * The qualified {@link GossipNode} bindings of a node's networks. A transport module binds its
 * network as {@code @Named("<network type>") GossipNode} (for example {@link #WS}); as the only
 * network of the node it also binds the unqualified {@code GossipNode}, which a hybrid module binds
 * to the hybrid instead.
 */
public final class Networks {
  /** The network type of the WebSocket transport. */
  public static final String WS = "ws";

  /** The network type of the libp2p transport. */
  public static final String P2P = "p2p";

  private Networks() {}

  /** The key of the {@code GossipNode} of network type {@code type}. */
  public static Key<GossipNode> node(String type) {
    return Key.get(GossipNode.class, Names.named(type));
  }
}
