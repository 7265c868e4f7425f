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
 * startAsync()} runs the {@link NodeInitializer}s contributed through Guice ({@code
 * Multibinder<NodeInitializer>}, for example the HTTP services), registers the handlers ({@code
 * Multibinder<TaggedHandler>}) and starts the node (its servers begin listening); {@code
 * stopAsync()} stops it. Building the injector does no I/O.
 */
@Singleton
public final class GossipNodeService extends AbstractIdleService {
  private final GossipNode node;
  private final Set<TaggedHandler> handlers;
  private final Set<NodeInitializer> initializers;

  /** Wraps a node and the handlers to register before it starts. */
  public GossipNodeService(GossipNode node, Set<TaggedHandler> handlers) {
    this(node, handlers, Set.of());
  }

  /** Wraps a node, the initializers to run on it and the handlers to register before it starts. */
  @Inject
  public GossipNodeService(GossipNode node, Set<TaggedHandler> handlers, Set<NodeInitializer> initializers) {
    this.node = node;
    this.handlers = handlers;
    this.initializers = initializers;
  }

  /** The node this service runs. */
  public GossipNode node() {
    return node;
  }

  @Override
  protected void startUp() throws Exception {
    for (NodeInitializer initializer : initializers) {
      initializer.initialize(node);
    }
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
