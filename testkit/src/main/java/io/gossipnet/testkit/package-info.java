/**
 * Test helpers for code built on gossipnet: {@link io.gossipnet.testkit.FreePorts} picks loopback
 * ports for multi-node tests. The in-memory transport itself is {@code io.gossipnet.core.memory} in
 * core.
 */
package io.gossipnet.testkit;
