/**
 * The libp2p host on Netty: {@link io.gossipnet.libp2p.host.Host} (configured by
 * {@link io.gossipnet.libp2p.host.HostConfig}, built with
 * {@link io.gossipnet.libp2p.host.Host#builder()}) listens and dials over TCP, upgrades each
 * connection with multistream-select, Noise XX and Yamux (the {@code internal} packages), answers
 * Identify and Ping ({@code protocol}), and dispatches inbound streams to the handler bound to the
 * negotiated protocol. Its {@link io.gossipnet.libp2p.host.ConnectionManager} (configured by
 * {@link io.gossipnet.libp2p.host.ConnectionManagerConfig}) protects peers under tags and trims
 * connections by watermarks, as go-libp2p's connmgr. It sits above the contracts and the protocols; GossipSub ({@code pubsub})
 * and the DHT ({@code kad}) sit above it.
 */
package io.gossipnet.libp2p.host;
