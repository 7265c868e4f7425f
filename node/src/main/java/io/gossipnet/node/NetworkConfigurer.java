package io.gossipnet.node;

import io.gossipnet.core.NetworkConfig;

/**
 * Implemented by an application's Guice module that {@code gossipnet run} installs ({@link
 * GossipnetCli#run(String[], com.google.inject.Module...)} or {@code --module}) when the module also
 * needs to change the network configuration {@code run} builds from its options: the application's
 * own tags, say, which the network must know before a peer sends them.
 *
 * <p>{@code run} calls {@link #configure} on each such module, in the order they were given, after
 * it has applied its own options and before it builds the configuration, so a module may override
 * what the options set. Several modules can each add their tags with {@code
 * network.addTags(MY_TAG)}; {@code network.tags(...)} replaces the whole table.
 */
@FunctionalInterface
public interface NetworkConfigurer {
  /**
   * Adjusts the configuration the node will run with.
   *
   * @param network the builder, holding what {@code run}'s options set
   */
  void configure(NetworkConfig.Builder network);
}
