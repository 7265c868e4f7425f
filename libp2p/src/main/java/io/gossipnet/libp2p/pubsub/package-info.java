/**
 * GossipSub (v1.0, v1.1, v1.2) and FloodSub on a {@link io.gossipnet.libp2p.host.Host}: the topic
 * mesh, gossip (IHAVE/IWANT/IDONTWANT), signature policies, pluggable message IDs, synchronous
 * validation before forwarding, explicit (direct) peering and peer exchange with signed peer
 * records, push or pull ({@link io.gossipnet.libp2p.pubsub.Subscription}) delivery. Entry point:
 * {@link io.gossipnet.libp2p.pubsub.GossipSub}; go-algorand's whole configuration:
 * {@code GossipSubConfig.builder().algorand(topic, outgoing)}.
 */
package io.gossipnet.libp2p.pubsub;
