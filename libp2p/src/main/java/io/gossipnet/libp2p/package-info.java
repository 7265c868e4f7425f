/**
 * The libp2p contracts, which every protocol and the host share: a
 * {@link io.gossipnet.libp2p.Connection} to one peer, its multiplexed
 * {@link io.gossipnet.libp2p.Stream}s, the {@link io.gossipnet.libp2p.StreamHandler} that serves a
 * protocol, {@link io.gossipnet.libp2p.ConnectionListener} events, and what a peer tells about
 * itself ({@link io.gossipnet.libp2p.IdentifyInfo}, the signed {@link io.gossipnet.libp2p.PeerRecord}).
 * The host that implements them is {@link io.gossipnet.libp2p.host.Host} (start with
 * {@link io.gossipnet.libp2p.host.Host#builder()}); keys and peer IDs are in {@code crypto},
 * multiaddrs in {@code multiformats}, Identify and Ping in {@code protocol}, HTTP in {@code http}.
 * This package depends only on the packages below it ({@code crypto}, {@code multiformats},
 * {@code encoding}, {@code internal.wire}), never on the host or a protocol.
 */
package io.gossipnet.libp2p;
