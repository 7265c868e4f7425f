package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.gossipnet.core.GossipNode;
import io.gossipnet.core.NetworkConfig;
import io.gossipnet.core.http.HttpRequest;
import io.gossipnet.guice.GossipNodeService;
import io.gossipnet.guice.Networks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the P2P module binds, alone and as a child, and that only the service starts the host. */
class P2pTransportModuleTest {
  private static NetworkConfig config() {
    return NetworkConfig.builder("test-genesis").listenAddress("127.0.0.1:0").gossipFanout(0).build();
  }

  @Test
  void aloneTheP2pNetworkIsTheNodeAndListensOnlyOnceTheServiceRuns() throws Exception {
    P2PConfig p2p = P2PConfig.defaults();
    Injector injector = Guice.createInjector(new P2pTransportModule(config(), p2p));
    P2PNetwork net = injector.getInstance(P2PNetwork.class);
    assertThat(injector.getInstance(GossipNode.class)).isSameAs(net);
    assertThat(injector.getInstance(Networks.node(Networks.P2P))).isSameAs(net);
    assertThat(net.peerId().toBase58()).isEqualTo(p2p.peerId());
    assertThat(net.address()).as("no I/O before the service starts").isEmpty();
    GossipNodeService service = injector.getInstance(GossipNodeService.class);
    service.startAsync().awaitRunning(Duration.ofSeconds(10));
    try {
      assertThat(net.address()).hasValueSatisfying(a -> assertThat(a).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + p2p.peerId()));
      net.registerHttpHandler("/status", req -> io.gossipnet.core.http.HttpResponse.text(200, "up"));
      P2PNetwork client = new P2PNetwork(NetworkConfig.builder("test-genesis").gossipFanout(0).build());
      client.start();
      try {
        assertThat(client.httpClient(net.address().orElseThrow()).send(HttpRequest.get("/status")).bodyText()).isEqualTo("up");
      } finally {
        client.stop();
      }
    } finally {
      service.stopAsync().awaitTerminated(Duration.ofSeconds(20));
    }
  }
}
