/**
 * The container harness: {@link io.gossipnet.it.harness.NodeImage} builds the node image from
 * scratch (jlinked runtime, shared libraries found with ldd, the node jar), {@link
 * io.gossipnet.it.harness.GossipNetwork} is the private network with fixed addresses, {@link
 * io.gossipnet.it.harness.NodeContainer} one node ({@code gossipnet run --transport ws|p2p|hybrid
 * --demo-api}, the transport a {@link io.gossipnet.it.harness.NodeTransport}) with partition and
 * kill/restart controls, {@link io.gossipnet.it.harness.GossipCluster} a set of them, of one
 * transport or mixed (P2P and hybrid nodes with keys the harness makes, or that keep their own in a
 * data directory), {@link io.gossipnet.it.harness.NodeHttp} the node's HTTP API (with {@link
 * io.gossipnet.it.harness.MetricSample} for {@code /metrics}) in two flavours ({@link
 * io.gossipnet.it.harness.WsNodeHttp}, plain HTTP; {@link io.gossipnet.it.harness.P2pNodeHttp}, HTTP
 * over libp2p from the test JVM's own libp2p host, {@link io.gossipnet.it.harness.Libp2pHttpClient}),
 * and {@link io.gossipnet.it.harness.RequiresDocker} with {@link
 * io.gossipnet.it.harness.DockerAvailableCondition} the skip-or-fail rule.
 */
package io.gossipnet.testcontainers;
