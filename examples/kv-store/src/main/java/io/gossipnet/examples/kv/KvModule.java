package io.gossipnet.examples.kv;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.NodeInitializer;
import io.gossipnet.http.HttpRoute;
import io.gossipnet.http.HttpServicesModule;
import io.gossipnet.node.NetworkConfigurer;
import java.util.Objects;

/**
 * The key-value store as one Guice module, installed beside a transport module and {@link
 * HttpServicesModule} (which {@code gossipnet run} installs, see {@link KvNode}):
 *
 * <ul>
 *   <li>the tag {@link #KV} (through {@link NetworkConfigurer}: the network must know a tag before
 *       a peer sends it);
 *   <li>the {@link KvStore} singleton, and the {@link KvHandler} of tag {@code KV};
 *   <li>the HTTP API of {@link KvHttp} under {@code /v1/{genesisID}/kv};
 *   <li>{@link AntiEntropy}, started with the node by {@link GossipNodeService}.
 * </ul>
 *
 * <p>Built without {@code gossipnet run}, a node needs the tag in its configuration: pass the
 * builder to {@link #configure(NetworkConfig.Builder)} before building it.
 */
public final class KvModule extends AbstractModule implements NetworkConfigurer {
  /**
   * The tag of writes: payloads up to 64 KiB (a write is at most {@link KvCodec#MAX_ENCODED_BYTES}),
   * normal priority, and deduplicated (a write received twice is the same write).
   */
  public static final Tag KV = Tag.of("KV", 64 * 1024, false, true);

  private final KvSettings settings;

  /** The module with {@link KvSettings#defaults()}, as {@code --module} makes it. */
  public KvModule() {
    this(KvSettings.defaults());
  }

  /** The module with these settings. */
  public KvModule(KvSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The module's settings. */
  public KvSettings settings() {
    return settings;
  }

  /** Adds {@link #KV} to the seed network's default tags. */
  @Override
  public void configure(NetworkConfig.Builder network) {
    network.addTags(KV);
  }

  @Override
  protected void configure() {
    // Everything is contributed by the @Provides methods below.
  }

  @Provides
  @Singleton
  KvStore store() {
    return new KvStore(settings.nodeId(), settings.maxKeys());
  }

  @ProvidesIntoSet
  TaggedHandler writes(KvStore store) {
    return new TaggedHandler(KV, new KvHandler(store));
  }

  @ProvidesIntoSet
  HttpRoute key(KvHttp http) {
    return http.keyRoute();
  }

  @ProvidesIntoSet
  HttpRoute snapshot(KvHttp http) {
    return http.snapshotRoute();
  }

  @Provides
  @Singleton
  KvHttp http(KvStore store, Provider<GossipNode> node) {
    return new KvHttp(store, node);
  }

  @ProvidesIntoSet
  NodeInitializer antiEntropy(KvStore store, Provider<GossipNodeService> service) {
    return new AntiEntropy(store, settings.antiEntropyInterval(), service);
  }
}
