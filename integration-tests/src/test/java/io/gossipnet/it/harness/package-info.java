/**
 * The container harness: {@link io.gossipnet.it.harness.NodeImage} builds the node image from
 * scratch (jlinked runtime, shared libraries found with ldd, the node jar), {@link
 * io.gossipnet.it.harness.GossipNetwork} is the private network with fixed addresses, {@link
 * io.gossipnet.it.harness.NodeContainer} one node ({@code gossipnet run --transport ws
 * --demo-api}) with partition and kill/restart controls, {@link
 * io.gossipnet.it.harness.GossipCluster} a set of them, {@link io.gossipnet.it.harness.NodeHttp}
 * the node's HTTP API, and {@link io.gossipnet.it.harness.RequiresDocker} with {@link
 * io.gossipnet.it.harness.DockerAvailableCondition} the skip-or-fail rule.
 */
package io.gossipnet.it.harness;
