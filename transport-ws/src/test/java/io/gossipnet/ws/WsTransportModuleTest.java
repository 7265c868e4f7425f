package io.gossipnet.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.identity.IdentityKeys;
import io.gossipnet.core.identity.IdentitySigner;
import io.gossipnet.core.identity.IdentityTracker;
import io.gossipnet.guice.GossipCoreModule;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.Networks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * What the WS module binds, alone and as one network of a hybrid node, and that the pieces a
 * hybrid module shares (tracker, signer, registry) reach the WS network. No test here starts a
 * server: building an injector does no I/O.
 */
class WsTransportModuleTest {
  private static NetworkConfig config() {
    return NetworkConfig.builder("test-genesis").listenAddress("127.0.0.1:0").publicAddress("http://127.0.0.1:4160").build();
  }

  @Test
  void aloneTheWsNetworkIsTheNodeAndTheQualifiedWsNode() {
    Injector injector = Guice.createInjector(new WsTransportModule(config()));
    WsNetwork ws = injector.getInstance(WsNetwork.class);
    assertThat(injector.getInstance(GossipNode.class)).isSameAs(ws);
    assertThat(injector.getInstance(Networks.node(Networks.WS))).isSameAs(ws);
    assertThat(injector.getInstance(GossipNodeService.class).node()).isSameAs(ws);
    assertThat(ws.address()).as("not listening before the service starts").isEmpty();
  }

  @Test
  void theBoundSignerTrackerAndRegistryAreTheOnesTheWsNetworkUses() {
    IdentityKeys libp2pKey = IdentityKeys.generate();
    IdentityTracker shared = IdentityTracker.create();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Injector injector =
        Guice.createInjector(
            new WsTransportModule(config(), WsConfig.defaults()),
            new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), IdentitySigner.class).setBinding().toInstance(libp2pKey);
                OptionalBinder.newOptionalBinder(binder(), IdentityTracker.class).setBinding().toInstance(shared);
                OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class).setBinding().toInstance(registry);
              }
            });
    WsNetwork ws = injector.getInstance(WsNetwork.class);
    assertThat(ws.selfKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(libp2pKey.publicKey()));
    assertThat(ws.metrics().registry()).isSameAs(registry);
    assertThat(injector.getInstance(IdentityTracker.class)).isSameAs(shared);
  }

  @Test
  void byDefaultEveryNetworkOfTheNodeSharesOneTrackerAndOneSigner() {
    Injector injector = Guice.createInjector(new WsTransportModule(config()), new GossipCoreModule());
    assertThat(injector.getInstance(IdentityTracker.class)).isSameAs(injector.getInstance(IdentityTracker.class));
    IdentitySigner signer = injector.getInstance(IdentitySigner.class);
    assertThat(injector.getInstance(IdentitySigner.class)).isSameAs(signer);
    assertThat(injector.getInstance(WsNetwork.class).selfKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(signer.publicKey()));
  }
}
