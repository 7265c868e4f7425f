/**
 * Test helpers for code built on gossipnet. {@link io.gossipnet.testkit.GossipNodeContract} is the
 * contract suite that every {@link io.gossipnet.core.GossipNode} implementation runs: a transport's
 * test extends it and supplies nodes through a {@link io.gossipnet.testkit.NodeFactory} (options in
 * {@link io.gossipnet.testkit.NodeOptions}, documented transport differences in {@link
 * io.gossipnet.testkit.TransportCapabilities}). {@link io.gossipnet.testkit.LiveThreads} lists live
 * threads, virtual ones included; {@link io.gossipnet.testkit.FreePorts} picks loopback ports for
 * multi-node tests. The in-memory transport itself is {@code io.gossipnet.core.memory} in core.
 */
package io.gossipnet.testkit;
