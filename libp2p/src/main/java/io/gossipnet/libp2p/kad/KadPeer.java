package io.gossipnet.libp2p.kad;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.List;

/** A peer and the addresses it is reachable at, as DHT messages carry them. */
public record KadPeer(PeerId id, List<Multiaddr> addresses) {
  public KadPeer {
    addresses = List.copyOf(addresses);
  }
}
