package io.gossipnet.libp2p.internal.yamux;

import io.netty.util.AttributeKey;

/** The channel attribute holding the first reason a connection was closed for. */
public final class ChannelReason {
  /** The attribute key. */
  public static final AttributeKey<String> KEY = AttributeKey.valueOf("gossipnet.libp2p.closeReason");

  private ChannelReason() {}
}
