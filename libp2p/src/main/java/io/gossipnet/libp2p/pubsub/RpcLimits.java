package io.gossipnet.libp2p.pubsub;

/**
 * Element limits of one received RPC, enforced while it is decoded: an RPC over any of them is
 * dropped as malformed. js-libp2p's are 5000 for each list except 512 IDONTWANT IDs and 16 peer
 * exchange entries per PRUNE ({@code maxPeerInfos}).
 *
 * @param maxSubscriptions subscription changes (and GRAFTs)
 * @param maxMessages messages
 * @param maxIHaveIds message IDs over all IHAVEs, and IHAVEs (one without IDs counts too)
 * @param maxIWantIds message IDs over all IWANTs
 * @param maxIDontWantIds message IDs over all IDONTWANTs
 * @param maxPruneMessages PRUNEs
 * @param maxPxPeers peer exchange entries ({@code PeerInfo}) in one PRUNE; the entry after the
 *     last allowed one fails the RPC before it is copied out of the frame
 */
public record RpcLimits(int maxSubscriptions, int maxMessages, int maxIHaveIds, int maxIWantIds, int maxIDontWantIds,
    int maxPruneMessages, int maxPxPeers) {
  /** Peer exchange entries accepted per PRUNE by default: js-libp2p's {@code maxPeerInfos}, go's {@code PrunePeers}. */
  public static final int DEFAULT_MAX_PX_PEERS = 16;

  public RpcLimits {
    if (maxSubscriptions < 1 || maxMessages < 1 || maxIHaveIds < 0 || maxIWantIds < 0 || maxIDontWantIds < 0
        || maxPruneMessages < 0 || maxPxPeers < 0) {
      throw new IllegalArgumentException("RPC limits must not be negative (subscriptions and messages >= 1)");
    }
  }

  /** Limits with the default {@link #DEFAULT_MAX_PX_PEERS} peer exchange entries per PRUNE. */
  public RpcLimits(int maxSubscriptions, int maxMessages, int maxIHaveIds, int maxIWantIds, int maxIDontWantIds,
      int maxPruneMessages) {
    this(maxSubscriptions, maxMessages, maxIHaveIds, maxIWantIds, maxIDontWantIds, maxPruneMessages,
        DEFAULT_MAX_PX_PEERS);
  }
}
