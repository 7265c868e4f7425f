package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.crypto.PrivateKey;
import org.junit.jupiter.api.Test;

/** What a multiaddr tells the mesh about its node: the canonical form and the key in its peer ID. */
class P2PTransportAddressTest {
  private final PrivateKey key = PrivateKey.generate();
  private final P2PTransport transport = new P2PTransport(P2PConfig.defaults());

  @Test
  void aMultiaddrWithAPeerIdNamesThatPeersKeyWhateverItsHostAndPort() {
    String id = key.peerId().toBase58();
    assertThat(transport.identityOf("/ip4/10.0.0.2/tcp/4190/p2p/" + id)).hasValueSatisfying(k -> assertThat(k).isEqualTo(key.publicKey().data()));
    assertThat(transport.identityOf("/dns4/relay.example/tcp/4190/p2p/" + id)).hasValueSatisfying(k -> assertThat(k).isEqualTo(key.publicKey().data()));
    assertThat(transport.canonicalAddress("/dns4/relay.example/tcp/4190/p2p/" + id)).isEqualTo("/p2p/" + id);
  }

  @Test
  void anAddressWithoutAPeerIdOrNotAMultiaddrNamesNoKey() {
    assertThat(transport.identityOf("/ip4/10.0.0.2/tcp/4190")).isEmpty();
    assertThat(transport.identityOf("relay.example:4160")).isEmpty();
    assertThat(transport.identityOf("/p2p/not-a-peer-id")).isEmpty();
  }
}
