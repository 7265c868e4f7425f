package io.gossipnet.libp2p.pubsub;

/**
 * Score thresholds (GossipSub v1.1). Below {@code gossip} a peer neither gets nor is asked for
 * gossip; below {@code publish} it gets no flood-published messages; below {@code graylist} its RPCs
 * are ignored (direct peers excepted). Peer exchange in a PRUNE is used only from a peer scoring at
 * least {@code acceptPx}; when the median score of a mesh is below {@code opportunisticGraft},
 * better peers are grafted.
 */
public record PeerScoreThresholds(double gossip, double publish, double graylist, double acceptPx,
    double opportunisticGraft) {

  public PeerScoreThresholds {
    if (gossip > 0 || publish > gossip || graylist > publish || acceptPx < 0 || opportunisticGraft < 0) {
      throw new IllegalArgumentException("need graylist <= publish <= gossip <= 0 and acceptPx, opportunisticGraft >= 0");
    }
  }

  /** js-libp2p's defaults: gossip −10, publish −50, graylist −80, accept PX 10, opportunistic graft 20. */
  public static PeerScoreThresholds defaults() {
    return new PeerScoreThresholds(-10, -50, -80, 10, 20);
  }

  /** go-algorand's: gossip −500, publish −1000, graylist −2500, accept PX 1000, opportunistic graft 3.5. */
  public static PeerScoreThresholds algorand() {
    return new PeerScoreThresholds(-500, -1000, -2500, 1000, 3.5);
  }
}
