package io.gossipnet.libp2p.pubsub;

/**
 * Element limits of one received RPC, enforced while it is decoded: an RPC over any of them is
 * dropped as malformed. js-libp2p's are 5000 for each list except 512 IDONTWANT IDs.
 *
 * @param maxSubscriptions subscription changes (and GRAFTs)
 * @param maxMessages messages
 * @param maxIHaveIds message IDs over all IHAVEs
 * @param maxIWantIds message IDs over all IWANTs
 * @param maxIDontWantIds message IDs over all IDONTWANTs
 * @param maxPruneMessages PRUNEs
 */
public record RpcLimits(int maxSubscriptions, int maxMessages, int maxIHaveIds, int maxIWantIds, int maxIDontWantIds,
    int maxPruneMessages) {
  public RpcLimits {
    if (maxSubscriptions < 1 || maxMessages < 1 || maxIHaveIds < 0 || maxIWantIds < 0 || maxIDontWantIds < 0
        || maxPruneMessages < 0) {
      throw new IllegalArgumentException("RPC limits must not be negative (subscriptions and messages >= 1)");
    }
  }
}
