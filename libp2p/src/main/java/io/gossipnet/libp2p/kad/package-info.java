/**
 * The Kademlia DHT of libp2p ({@code /ipfs/kad/1.0.0} or a custom protocol ID) on a
 * {@link io.gossipnet.libp2p.host.Host}: FIND_NODE, GET_PROVIDERS, ADD_PROVIDER and PING, a k-bucket
 * routing table, iterative queries (optionally over S/Kademlia disjoint paths, see
 * {@link io.gossipnet.libp2p.kad.KadConfig#withDisjointPaths(int)}), provider records with expiry,
 * and capability discovery on top. Entry points: {@link io.gossipnet.libp2p.kad.KadDht} and
 * {@link io.gossipnet.libp2p.kad.Capabilities}.
 */
package io.gossipnet.libp2p.kad;
