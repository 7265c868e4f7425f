package io.gossipnet.libp2p;

import io.gossipnet.libp2p.crypto.PublicKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.List;

/**
 * What a remote told us about itself through identify.
 *
 * @param protocolVersion e.g. {@code ipfs/0.1.0}
 * @param agentVersion e.g. {@code js-libp2p/3.3.11 node/20.20.2}
 * @param publicKey the remote's key, checked against the connection's peer ID
 * @param listenAddresses where the remote listens
 * @param observedAddress our address as the remote sees it (null if absent or unparsable)
 * @param protocols the protocols the remote serves
 * @param signedPeerRecord the verified signed peer record, or null if the remote sent none
 * @param signedPeerRecordEnvelope the signed envelope {@code signedPeerRecord} was verified from, as
 *     received (to pass on, e.g. in GossipSub peer exchange), or null with it
 */
public record IdentifyInfo(
    String protocolVersion,
    String agentVersion,
    PublicKey publicKey,
    List<Multiaddr> listenAddresses,
    Multiaddr observedAddress,
    List<String> protocols,
    PeerRecord signedPeerRecord,
    byte[] signedPeerRecordEnvelope) {

  /** Copies the lists; the envelope is dropped when there is no verified record. */
  public IdentifyInfo {
    listenAddresses = List.copyOf(listenAddresses);
    protocols = List.copyOf(protocols);
    if (signedPeerRecord == null) {
      signedPeerRecordEnvelope = null;
    }
  }

  /** Without the envelope bytes. */
  public IdentifyInfo(String protocolVersion, String agentVersion, PublicKey publicKey, List<Multiaddr> listenAddresses,
      Multiaddr observedAddress, List<String> protocols, PeerRecord signedPeerRecord) {
    this(protocolVersion, agentVersion, publicKey, listenAddresses, observedAddress, protocols, signedPeerRecord, null);
  }
}
