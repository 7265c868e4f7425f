package io.gossipnet.guice;

import com.google.common.util.concurrent.AbstractIdleService;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.TaggedHandler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@link GossipNode} as a Guava {@link com.google.common.util.concurrent.Service}: {@code
 * startAsync()} registers the handlers contributed through Guice ({@code Multibinder<TaggedHandler>})
 * and starts the node (its servers begin listening); {@code stopAsync()} stops it. Building the
 * injector does no I/O.
 */
@Singleton
public final class GossipNodeService extends AbstractIdleService {
  private final GossipNode node;
  private final Set<TaggedHandler> handlers;

  /** Wraps a node and the handlers to register before it starts. */
  @Inject
  public GossipNodeService(GossipNode node, Set<TaggedHandler> handlers) {
    this.node = node;
    this.handlers = handlers;
  }

  /** The node this service runs. */
  public GossipNode node() {
    return node;
  }

  @Override
  protected void startUp() {
    if (!handlers.isEmpty()) {
      node.registerHandlers(List.copyOf(handlers));
    }
    node.start();
  }

  @Override
  protected void shutDown() {
    node.stop();
  }

  @Override
  protected String serviceName() {
    return "gossip-node-" + node.genesisId();
  }
}
