/**
 * The in-memory test kit: {@link io.gossipnet.testkit.MemoryNetwork} and {@link
 * io.gossipnet.testkit.MemoryTransport} connect nodes of one JVM through links with latency,
 * bandwidth, loss and stalls; {@link io.gossipnet.testkit.MemoryCluster} builds and starts N-node
 * networks.
 */
package io.gossipnet.testkit;
