package io.gossipnet.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.identity.IdentityKeys;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The bindings every transport module shares, installed by each of them: an empty {@code
 * Multibinder<TaggedHandler>} for the handlers and three singletons with defaults that an application or a
 * hybrid module replaces through {@code OptionalBinder.newOptionalBinder(binder(), X.class)
 * .setBinding()}:
 *
 * <ul>
 *   <li>{@link MeterRegistry}: a {@link SimpleMeterRegistry};
 *   <li>{@link IdentityTracker}: one tracker for every network of the node, so a hybrid node's WS
 *       and P2P engines refuse a second connection to the same identity;
 *   <li>{@link IdentitySigner}: a fresh Ed25519 key ({@link IdentityKeys#generate()}); a hybrid
 *       node binds its libp2p key here, so the WS identity challenge signs with it.
 * </ul>
 *
 * <p>It also declares the (empty) {@code Multibinder<NodeInitializer>} ({@link #initializers}):
 * work that {@link GossipNodeService} runs on the node before starting it, such as the HTTP
 * services of module {@code http-services}.
 *
 * <p>{@link GossipNodeService} needs no binding: it is a just-in-time singleton over the
 * unqualified {@code GossipNode}, which the node's only transport module or the hybrid module
 * binds.
 *
 * <p>Installing it twice (a WS and a P2P module in one injector) is harmless: all instances are
 * equal, and Guice installs a module once. Building the injector does no I/O.
 */
public final class GossipCoreModule extends AbstractModule {
  @Override
  protected void configure() {
    Multibinder.newSetBinder(binder(), TaggedHandler.class);
    initializers(binder());
    OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class).setDefault().to(SimpleMeterRegistry.class);
    bind(SimpleMeterRegistry.class).in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), IdentityTracker.class)
        .setDefault()
        .toProvider((Provider<IdentityTracker>) IdentityTracker::create)
        .in(Singleton.class);
    OptionalBinder.newOptionalBinder(binder(), IdentitySigner.class)
        .setDefault()
        .toProvider((Provider<IdentitySigner>) IdentityKeys::generate)
        .in(Singleton.class);
  }

  /**
   * The {@code Multibinder<NodeInitializer>} of {@code binder}: add to it to run code on the node
   * when the service starts, before the node starts.
   */
  public static Multibinder<NodeInitializer> initializers(Binder binder) {
    return Multibinder.newSetBinder(binder, NodeInitializer.class);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GossipCoreModule;
  }

  @Override
  public int hashCode() {
    return GossipCoreModule.class.hashCode();
  }
}
