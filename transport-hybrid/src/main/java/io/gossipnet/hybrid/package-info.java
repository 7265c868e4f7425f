/**
 * The hybrid network: one node on the WebSocket and the libp2p networks at once ({@link
 * io.gossipnet.hybrid.HybridNetwork}, settings in {@link io.gossipnet.hybrid.HybridConfig}), and
 * its Guice module ({@link io.gossipnet.hybrid.HybridTransportModule}).
 */
package io.gossipnet.hybrid;
