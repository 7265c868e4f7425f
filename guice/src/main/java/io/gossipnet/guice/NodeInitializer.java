package io.gossipnet.guice;

import io.gossipnet.core.GossipNode;

/**
 * Work done on the node when {@link GossipNodeService} starts, before the node itself starts:
 * registering HTTP services, validators, anything that must be in place before the first peer
 * connects. Contributed with {@code GossipCoreModule.initializers(binder()).addBinding()...}; a
 * Guice module does no I/O, so what a module contributes runs here, at service start, in the
 * order of the Multibinder (the order of the bindings).
 *
 * <p>An initializer that throws fails the service's start-up: the node is not started and {@link
 * GossipNodeService#failureCause()} is the exception.
 */
@FunctionalInterface
public interface NodeInitializer {
  /** Prepares {@code node}, which is not started yet. */
  void initialize(GossipNode node) throws Exception;
}
