package io.gossipnet.hybrid;

import static io.gossipnet.hybrid.HybridNodes.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.IncomingMessage;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.OutgoingMessage;
import io.gossipnet.core.TaggedHandler;
import io.gossipnet.core.Tags;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.Networks;
import io.gossipnet.p2p.P2PNetwork;
import io.gossipnet.ws.WsNetwork;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A hybrid node built by Guice: one GossipNode, its two networks, handlers from a multibinding. */
class HybridTransportModuleTest {
  @Test
  void theInjectorGivesAHybridNodeWhoseNetworksAndHandlersAreBoundAndItStartsOnlyWithTheService() {
    HybridConfig config = HybridNodes.listening(List.of(), 0).build();
    List<IncomingMessage> got = new CopyOnWriteArrayList<>();
    Injector injector = Guice.createInjector(new HybridTransportModule(config), new AbstractModule() {
      @Override
      protected void configure() {
        Multibinder.newSetBinder(binder(), TaggedHandler.class).addBinding().toInstance(new TaggedHandler(Tags.AV, m -> {
          got.add(m);
          return OutgoingMessage.ignore();
        }));
      }
    });
    GossipNode node = injector.getInstance(GossipNode.class);
    assertThat(node).isInstanceOf(HybridNetwork.class);
    HybridNetwork hybrid = (HybridNetwork) node;
    assertThat(injector.getInstance(Networks.node(Networks.WS))).isSameAs(hybrid.ws());
    assertThat(injector.getInstance(Networks.node(Networks.P2P))).isSameAs(hybrid.p2p());
    assertThat(injector.getInstance(WsNetwork.class)).isSameAs(hybrid.ws());
    assertThat(injector.getInstance(P2PNetwork.class)).isSameAs(hybrid.p2p());
    assertThat(injector.getInstance(NetworkConfig.class)).isSameAs(config.network());
    assertThat(injector.getInstance(io.gossipnet.core.identity.IdentitySigner.class).publicKey())
        .as("the node's signer is its libp2p key").isEqualTo(config.p2p().privateKey().publicKey().data());
    assertThat(hybrid.address()).as("building the injector does no I/O").isEmpty();

    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    service.startAsync().awaitRunning();
    try (HybridNodes others = new HybridNodes()) {
      assertThat(hybrid.address()).isPresent();
      assertThat(hybrid.p2pAddress()).isPresent();
      P2PNetwork peer = others.p2pClient(List.of(hybrid.p2pAddress().orElseThrow()));
      peer.start();
      await().atMost(WAIT).until(() -> peer.connectedPeers().size() == 1);
      peer.broadcast(Tags.AV, new byte[] {7}, true, null);
      await().atMost(WAIT).until(() -> got.size() == 1);
    } finally {
      service.stopAsync().awaitTerminated();
    }
    assertThat(hybrid.connectedPeers()).isEmpty();
  }
}
