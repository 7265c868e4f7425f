package io.gossipnet.libp2p.pubsub;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A peer with an explicit (direct) peering agreement (GossipSub v1.1): the router keeps a
 * connection to it, forwards it every valid message of the topics it subscribes to, never
 * grafts it into a mesh nor sends it gossip, and accepts its RPCs whatever its score.
 *
 * @param id the peer
 * @param addresses where to dial it, with or without {@code /p2p/<id>}
 */
public record DirectPeer(PeerId id, List<Multiaddr> addresses) {
  /** Copies the list; every address that names a peer must name {@code id}. */
  public DirectPeer {
    Objects.requireNonNull(id, "id");
    addresses = List.copyOf(addresses);
    for (Multiaddr a : addresses) {
      if (a.peerId().isPresent() && !a.peerId().get().equals(id)) {
        throw new IllegalArgumentException("address " + a + " names another peer than " + id);
      }
    }
  }

  /**
   * The direct peers named by {@code addresses}, each of which must end in {@code /p2p/<id>};
   * several addresses of one peer make one entry, in the order given.
   *
   * @throws IllegalArgumentException when an address has no {@code /p2p/} component
   */
  public static List<DirectPeer> fromAddresses(List<Multiaddr> addresses) {
    Map<PeerId, List<Multiaddr>> byPeer = new LinkedHashMap<>();
    for (Multiaddr a : addresses) {
      PeerId id = a.peerId().orElseThrow(() -> new IllegalArgumentException("direct peer address without /p2p/: " + a));
      byPeer.computeIfAbsent(id, k -> new ArrayList<>()).add(a);
    }
    return byPeer.entrySet().stream().map(e -> new DirectPeer(e.getKey(), e.getValue())).toList();
  }

  /** The addresses to dial, each ending in {@code /p2p/<id>}. */
  public List<Multiaddr> dialAddresses() {
    return addresses.stream().map(a -> a.withoutPeerId().withPeerId(id)).toList();
  }
}
