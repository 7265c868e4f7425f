/**
 * The gossipnet API: {@link io.gossipnet.core.GossipNode}, peers and their capabilities, tags,
 * messages, handlers and {@link io.gossipnet.core.NetworkConfig}. Nothing here depends on a
 * transport.
 */
package io.gossipnet.core;
