package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpcCodecTest {
  private static final RpcLimits LIMITS = new RpcLimits(10, 10, 10, 10, 5, 10);

  @Test
  void anRpcWithEveryPartSurvivesARoundTrip() {
    Rpc r = Rpc.empty();
    r.subscriptions().add(new Rpc.Subscription(true, "a"));
    r.subscriptions().add(new Rpc.Subscription(false, "b"));
    r.messages().add(new Rpc.WireMessage(new byte[] {1}, new byte[0], new byte[8], "a", new byte[] {5}, new byte[] {6}));
    r.control().ihave().add(new Rpc.IHave("a", List.of(new byte[] {9}, new byte[] {10})));
    r.control().iwant().add(new byte[] {11});
    r.control().graft().add("a");
    r.control().prune().add(new Rpc.Prune("b", 60));
    r.control().idontwant().add(new byte[] {12});
    Rpc d = Rpc.decode(r.encode(), 1 << 20, LIMITS);
    assertThat(d.subscriptions()).containsExactlyElementsOf(r.subscriptions());
    Rpc.WireMessage m = d.messages().get(0);
    assertThat(m.data()).isEmpty(); // present-but-empty data stays present
    assertThat(m.seqno()).hasSize(8);
    assertThat(m.topic()).isEqualTo("a");
    assertThat(d.control().ihave().get(0).ids()).hasSize(2);
    assertThat(d.control().iwant()).hasSize(1);
    assertThat(d.control().graft()).containsExactly("a");
    assertThat(d.control().prune()).containsExactly(new Rpc.Prune("b", 60));
    assertThat(d.control().idontwant()).hasSize(1);
  }

  @Test
  void theSignedBytesAreFieldsOneToFourInOrderWithoutSignatureAndKey() {
    Rpc.WireMessage m = new Rpc.WireMessage(new byte[] {1, 2}, "hi".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, 0, 0, 0, 0, 0, 0, 7}, "t", new byte[] {9}, new byte[] {8});
    assertThat(HexFormat.of().formatHex(m.signedBytes()))
        .isEqualTo("0a020102" + "12026869" + "1a080000000000000007" + "220174");
    // absent data is omitted, empty data is encoded (js re-encodes the same way)
    assertThat(new Rpc.WireMessage(null, null, null, "t", null, null).signedBytes()).containsExactly(0x22, 1, 't');
    assertThat(new Rpc.WireMessage(null, new byte[0], null, "t", null, null).signedBytes())
        .containsExactly(0x12, 0, 0x22, 1, 't');
  }

  @Test
  void limitsAreEnforcedWhileDecoding() {
    Rpc r = Rpc.empty();
    for (int i = 0; i < 11; i++) {
      r.control().iwant().add(new byte[] {(byte) i});
    }
    assertThatThrownBy(() -> Rpc.decode(r.encode(), 1 << 20, LIMITS)).hasMessageContaining("IWANT");
    Rpc s = Rpc.empty();
    for (int i = 0; i < 11; i++) {
      s.subscriptions().add(new Rpc.Subscription(true, "t" + i));
    }
    assertThatThrownBy(() -> Rpc.decode(s.encode(), 1 << 20, LIMITS)).hasMessageContaining("subscriptions");
    assertThatThrownBy(() -> Rpc.decode(new byte[100], 99, LIMITS)).hasMessageContaining("exceeds");
  }

  @Test
  void truncatedAndMistypedInputIsRejected() {
    assertThatThrownBy(() -> Rpc.decode(new byte[] {0x12, 0x05, 1}, 1024, LIMITS))
        .isInstanceOf(IllegalArgumentException.class);
    // field 1 (subscriptions) sent as a varint
    assertThatThrownBy(() -> Rpc.decode(new byte[] {0x08, 0x01}, 1024, LIMITS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPruneCarriesPeerExchangeEntriesAsPeerInfoFieldTwo() {
    Rpc r = Rpc.empty();
    r.control().prune().add(new Rpc.Prune("t", 60, List.of(new Rpc.PeerInfo(new byte[] {1}, new byte[] {2}))));
    // RPC.control (3) { prune (4) { topicID (1) "t", peers (2) { peerID (1), signedPeerRecord (2) }, backoff (3) 60 } }
    assertThat(HexFormat.of().formatHex(r.encode()))
        .isEqualTo("1a0f" + "220d" + "0a0174" + "12060a01011201" + "02" + "183c");
  }

  @Test
  void peerExchangeEntriesSurviveARoundTripWithAndWithoutARecord() {
    byte[] id = PrivateKey.generate().peerId().toBytes();
    byte[] other = PrivateKey.generate().peerId().toBytes();
    byte[] record = new byte[300];
    Rpc r = Rpc.empty();
    r.control().prune().add(new Rpc.Prune("t", 60,
        List.of(new Rpc.PeerInfo(id, record), new Rpc.PeerInfo(other, null))));
    Rpc.Prune d = Rpc.decode(r.encode(), 1 << 20, LIMITS).control().prune().get(0);
    assertThat(d.topic()).isEqualTo("t");
    assertThat(d.backoffSeconds()).isEqualTo(60);
    assertThat(d.peers()).hasSize(2);
    assertThat(d.peers().get(0).peerId()).isEqualTo(id);
    assertThat(d.peers().get(0).signedPeerRecord()).isEqualTo(record);
    assertThat(d.peers().get(1).peerId()).isEqualTo(other);
    assertThat(d.peers().get(1).signedPeerRecord()).isNull();
  }

  @Test
  void aPruneWithMorePeerExchangeEntriesThanTheLimitIsRefused() {
    RpcLimits limits = new RpcLimits(10, 10, 10, 10, 5, 10, 3);
    assertThat(Rpc.decode(pruneWithPeers(3).encode(), 1 << 20, limits).control().prune().get(0).peers()).hasSize(3);
    assertThatThrownBy(() -> Rpc.decode(pruneWithPeers(4).encode(), 1 << 20, limits))
        .hasMessageContaining("too many PX peers");
    // the default limit is js's maxPeerInfos
    assertThat(LIMITS.maxPxPeers()).isEqualTo(16);
    assertThatThrownBy(() -> Rpc.decode(pruneWithPeers(17).encode(), 1 << 20, LIMITS))
        .hasMessageContaining("too many PX peers");
  }

  @Test
  void peerExchangeEntriesWithoutAPeerIdOrWithOversizedFieldsAreRefused() {
    for (Rpc.PeerInfo bad : List.of(new Rpc.PeerInfo(null, new byte[] {1}),
        new Rpc.PeerInfo(new byte[129], null),
        new Rpc.PeerInfo(new byte[] {1}, new byte[Rpc.MAX_SIGNED_PEER_RECORD + 1]))) {
      Rpc r = Rpc.empty();
      r.control().prune().add(new Rpc.Prune("t", 0, List.of(bad)));
      assertThatThrownBy(() -> Rpc.decode(r.encode(), 1 << 20, LIMITS)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PX");
    }
  }

  private static Rpc pruneWithPeers(int n) {
    List<Rpc.PeerInfo> peers = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      peers.add(new Rpc.PeerInfo(new byte[] {0, 1, (byte) i}, null));
    }
    Rpc r = Rpc.empty();
    r.control().prune().add(new Rpc.Prune("t", 60, peers));
    return r;
  }
}
