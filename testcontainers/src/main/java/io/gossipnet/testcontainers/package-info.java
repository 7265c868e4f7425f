/**
 * Testcontainers support for gossipnet, for users' own multi-node tests (and gossipnet's own
 * container tests).
 *
 * <ul>
 *   <li>{@link io.gossipnet.testcontainers.GossipnetImage}: the image a node runs: built {@code
 *       FROM scratch} from an executable jar (the stock node, or an application whose main takes
 *       {@code gossipnet run}'s options), or a user's own image;
 *   <li>{@link io.gossipnet.testcontainers.GossipnetContainer}: one node ({@code gossipnet run
 *       --transport ws|p2p|hybrid}, a {@link io.gossipnet.testcontainers.NodeTransport}), its key,
 *       peers and options, kill and restart, and its HTTP API ({@link
 *       io.gossipnet.testcontainers.NodeHttp}: plain HTTP, {@link
 *       io.gossipnet.testcontainers.WsNodeHttp}, or HTTP over libp2p from the test JVM's own libp2p
 *       host, {@link io.gossipnet.testcontainers.P2pNodeHttp}; {@link
 *       io.gossipnet.testcontainers.MetricSample} for {@code /metrics});
 *   <li>{@link io.gossipnet.testcontainers.GossipnetCluster}: N nodes wired to each other over one
 *       private link per pair, with partitions that heal, kills and restarts, and waits for the mesh
 *       and for messages; a Testcontainers {@code Startable} for {@code @Container} fields;
 *   <li>{@link io.gossipnet.testcontainers.RequiresDocker} with {@link
 *       io.gossipnet.testcontainers.DockerAvailableCondition}: skip (or, with {@code
 *       REQUIRE_DOCKER=1}, fail) with what to do when no Docker daemon answers.
 * </ul>
 */
package io.gossipnet.testcontainers;
