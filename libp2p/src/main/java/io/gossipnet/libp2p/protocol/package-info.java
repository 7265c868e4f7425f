/**
 * The libp2p protocols every host speaks, on streams: Identify and Identify push
 * ({@link io.gossipnet.libp2p.protocol.Identify}) and Ping ({@link io.gossipnet.libp2p.protocol.Ping}).
 * The records they carry ({@link io.gossipnet.libp2p.IdentifyInfo},
 * {@link io.gossipnet.libp2p.PeerRecord}) are in the contracts package, so the host and these
 * protocols depend on them and not on each other's package. HTTP over streams is in {@code http}.
 */
package io.gossipnet.libp2p.protocol;
