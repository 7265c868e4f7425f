/**
 * A libp2p host on Netty: the public API. Start with {@link io.gossipnet.libp2p.Host#builder()};
 * dial with {@link io.gossipnet.libp2p.Host#dial}; serve protocols with
 * {@link io.gossipnet.libp2p.Host#setStreamHandler}; talk over {@link io.gossipnet.libp2p.Stream}s
 * of a {@link io.gossipnet.libp2p.Connection}. Keys, peer IDs and multiaddrs are in
 * {@code crypto} and {@code multiformats}; Identify, Ping and HTTP in {@code protocol}.
 */
package io.gossipnet.libp2p;
