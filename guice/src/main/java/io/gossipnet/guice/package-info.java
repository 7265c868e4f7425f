/**
 * Guice and Guava {@code Service} pieces shared by every transport module: {@link
 * io.gossipnet.guice.GossipNodeService} runs the node, {@link io.gossipnet.guice.GossipCoreModule}
 * binds what the networks of one node share (handlers, meter registry, identity tracker, identity
 * signer, the {@link io.gossipnet.guice.NodeInitializer}s run at start), and {@link
 * io.gossipnet.guice.Networks} names the qualified bindings of each network.
 */
package io.gossipnet.guice;
