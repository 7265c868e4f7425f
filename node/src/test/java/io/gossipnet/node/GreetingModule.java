package io.gossipnet.node;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.Tag;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.http.HttpResponse;
import io.gossipnet.http.HttpRoute;
import io.gossipnet.http.HttpServicesModule;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small application module for the tests of {@code run}'s application hooks: its own tag {@code
 * GR} (added through {@link NetworkConfigurer}), a handler that keeps the last greeting received,
 * and two HTTP services: {@code POST /v1/{genesisID}/greet} broadcasts its body as a greeting and
 * {@code GET /v1/{genesisID}/greet} answers the last one received.
 */
public final class GreetingModule extends AbstractModule implements NetworkConfigurer {
  /** The application's tag. */
  static final Tag GREETING = Tag.of("GR", 1024, false, true);

  private final AtomicReference<String> last = new AtomicReference<>("");

  /** The module, as {@code --module} makes it. */
  public GreetingModule() {}

  @Override
  public void configure(NetworkConfig.Builder network) {
    network.addTags(GREETING);
  }

  @Override
  protected void configure() {
    HttpServicesModule.handlers(binder())
        .addBinding("/v1/{genesisID}/greet/last")
        .toInstance(request -> HttpResponse.text(200, last.get()));
  }

  @ProvidesIntoSet
  TaggedHandler greetings() {
    return new TaggedHandler(GREETING, msg -> {
      last.set(new String(msg.data(), StandardCharsets.UTF_8));
      return OutgoingMessage.ignore();
    });
  }

  @ProvidesIntoSet
  HttpRoute send(Provider<GossipNode> node) {
    return new HttpRoute("/v1/{genesisID}/greet", Set.of("POST"), request -> {
      node.get().broadcast(GREETING, request.body(), false, null);
      return HttpResponse.text(200, "sent");
    });
  }

  /** Runs {@code gossipnet} with this module, as an application's launcher does. */
  public static void main(String[] args) {
    System.exit(GossipnetCli.run(args, new GreetingModule()));
  }
}
