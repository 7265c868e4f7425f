package io.gossipnet.testkit;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import java.util.Set;

/**
 * The documented ways in which transports differ, declared by a {@link NodeFactory} so that {@link
 * GossipNodeContract} checks the behaviour that applies instead of skipping a test. Each one
 * describes what happens between two nodes of the factory as the contract connects them (a relay
 * dialed at all its {@link NodeFactory#dialAddresses}): a node on several transports declares what
 * its connections end up using.
 *
 * @param pubsubTags tags carried by a pubsub router rather than the peers' gossip connections:
 *     received messages of these tags go through the registered validator (which decides whether
 *     they are forwarded), and they reach only nodes subscribed to them (over P2P: {@code TX} on
 *     GossipSub, subscribed by relays). On other tags, and on every tag of a transport with none,
 *     validators are ignored and handlers get every message.
 * @param transportConnectionsBeyondGossipPeers whether {@code TRANSPORT_CONNECTIONS_IN/OUT} list
 *     connections that carry no gossip peer (over P2P: a libp2p connection opened for HTTP or
 *     pubsub only); when false they list exactly the gossip peers
 * @param refusesOtherGenesisIds whether a connection from a node of another genesis ID is refused
 *     (WebSocket: 412 in the handshake; not over P2P, where the seed sends the genesis ID in the
 *     stream metadata but does not compare it, inventory section 7.2)
 */
public record TransportCapabilities(
    Set<Tag> pubsubTags, boolean transportConnectionsBeyondGossipPeers, boolean refusesOtherGenesisIds) {

  /** Copies. */
  public TransportCapabilities {
    pubsubTags = Set.copyOf(pubsubTags);
  }

  /**
   * A transport on which every tag travels over the peers' gossip connections and a transport
   * connection is a gossip peer (in-memory, WebSocket).
   */
  public static TransportCapabilities gossipConnectionsOnly() {
    return new TransportCapabilities(Set.of(), false, true);
  }

  /**
   * go-algorand's P2P network: {@code TX} over GossipSub with validators, libp2p connections that
   * carry no gossip stream among the transport connections, and no genesis check on a stream.
   */
  public static TransportCapabilities p2p() {
    return new TransportCapabilities(Set.of(Tags.TX), true, false);
  }

  /** Whether {@code tag} travels over a pubsub router. */
  public boolean isPubsub(Tag tag) {
    return pubsubTags.contains(tag);
  }
}
