package io.gossipnet.libp2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.crypto.PeerId;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MultiaddrTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "/ip4/127.0.0.1/tcp/4001",
      "/ip6/::1/tcp/4001",
      "/dns/example.com/tcp/443/http",
      "/dns4/example.com/tcp/80",
      "/dns6/example.com/tcp/80",
      "/ip4/1.2.3.4/udp/4001/quic-v1",
      "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf",
      "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf/http-path/a%2Fb",
  })
  void textAndBinaryFormsRoundTrip(String text) {
    Multiaddr m = Multiaddr.fromString(text);
    assertThat(Multiaddr.fromBytes(m.toBytes())).isEqualTo(m);
    assertThat(Multiaddr.fromString(m.toString())).isEqualTo(m);
  }

  @Test
  void binaryFormMatchesTheSpec() {
    assertThat(HexFormat.of().formatHex(Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001").toBytes()))
        .isEqualTo("047f000001060fa1");
  }

  @Test
  void ip6TextIsCanonical() {
    assertThat(Multiaddr.fromString("/ip6/0:0:0:0:0:0:0:1/tcp/1").toString()).isEqualTo("/ip6/::1/tcp/1");
    assertThat(Multiaddr.fromString("/ip6/2001:DB8:0:0:1:0:0:1/tcp/1").toString()).isEqualTo("/ip6/2001:db8::1:0:0:1/tcp/1");
    assertThat(Multiaddr.fromString("/ip6/fd00::2/tcp/1").toString()).isEqualTo("/ip6/fd00::2/tcp/1");
    assertThat(Multiaddr.fromString("/ip6/::/tcp/1").toString()).isEqualTo("/ip6/::/tcp/1");
    assertThat(Multiaddr.fromString("/ip6/1:2:3:4:5:6:7:8/tcp/1").toString()).isEqualTo("/ip6/1:2:3:4:5:6:7:8/tcp/1");
  }

  @Test
  void peerIdIsFoundAndStripped() {
    Multiaddr m = Multiaddr.fromString(
        "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf");
    assertThat(m.peerId()).contains(PeerId.fromString("12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf"));
    assertThat(m.withoutPeerId().toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
    assertThat(m.withoutPeerId().toTcpSocketAddress().getPort()).isEqualTo(4001);
  }

  @Test
  void invalidAddressesAreRefusedWithAReason() {
    assertThatThrownBy(() -> Multiaddr.fromString("/ip4/300.1.1.1/tcp/1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multiaddr.fromString("/tcp/70000")).hasMessageContaining("port");
    assertThatThrownBy(() -> Multiaddr.fromString("/foo/1")).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[] {4, 127})).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[1025])).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> Multiaddr.fromString("/ip4/1.2.3.4/udp/1").toTcpSocketAddress())
        .hasMessageContaining("not a TCP");
  }
}
