/**
 * The in-memory transport: {@link io.gossipnet.core.memory.MemoryNetwork} and {@link
 * io.gossipnet.core.memory.MemoryTransport} connect nodes of one JVM through links with latency,
 * bandwidth, loss and stalls ({@link io.gossipnet.core.memory.LinkConditions}); {@link io.gossipnet.core.memory.StubPeer} is a hand-driven peer for tests of bad input; {@link
 * io.gossipnet.core.memory.MemoryCluster} builds and starts N-node networks. It lives in core so
 * that the engine's own tests, the demo and the benchmarks run on it without another module; its
 * handshake makes the same decisions as the WebSocket one, in the same order.
 */
package io.gossipnet.core.memory;
