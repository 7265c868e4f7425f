/**
 * Multi-node tests of gossipnet nodes in Docker containers: the scratch image itself ({@code
 * NodeImageIT}), the WS demo of ten nodes in one container ({@code WsDemoIT}), WS meshes of four
 * nodes on a private Docker network that deliver every broadcast ({@code WsMeshIT}), relay it along
 * a line of nodes ({@code WsLineIT}), heal after a node is cut off the network ({@code
 * WsPartitionIT}), take back a node that was killed and restarted ({@code WsRestartIT}), and keep
 * serving their valid peers after malformed requests, handshakes and frames ({@code
 * WsHostileInputIT}); and P2P meshes that relay TX (GossipSub) and AV (gossip streams) around a ring
 * ({@code P2pMeshIT}), heal after a partition ({@code P2pPartitionIT}) and take back a killed node
 * under the peer ID of the key it persisted ({@code P2pRestartIT}); and hybrid nodes: a relay that
 * carries AV and TX between a P2P-only and a WS-only node ({@code MixedMeshIT}), and a pair that
 * lists each other under both transports and holds one connection ({@code HybridPairIT}).
 *
 * <p>The classes are failsafe integration tests ({@code *IT}, run in {@code verify}), marked {@link
 * io.gossipnet.testcontainers.RequiresDocker}: skipped without a Docker daemon, failing instead when
 * {@code REQUIRE_DOCKER=1}.
 */
package io.gossipnet.it;
