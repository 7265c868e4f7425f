package io.gossipnet.libp2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KadMessageTest {
  @Test
  void providerKeysAreMultihashesOfAtMost80Bytes() {
    assertThat(KadMessage.isProviderKey(Capabilities.capabilityKey("x"))).isTrue();
    assertThat(KadMessage.isProviderKey(new byte[] {0x00, 0x00})).isTrue(); // identity, empty digest
    assertThat(KadMessage.isProviderKey(null)).isFalse();
    assertThat(KadMessage.isProviderKey(new byte[0])).isFalse();
    assertThat(KadMessage.isProviderKey(new byte[] {0x12, 0x20, 1, 2})).isFalse(); // digest too short
    assertThat(KadMessage.isProviderKey(new byte[] {0x12, 0x01, 1, 2})).isFalse(); // trailing bytes
    assertThat(KadMessage.isProviderKey(new byte[] {(byte) 0x80})).isFalse(); // cut varint
    byte[] big = new byte[81];
    big[1] = 79;
    assertThat(KadMessage.isProviderKey(big)).isFalse();
  }

  private static KadPeer peer(int addrs) {
    List<Multiaddr> a = new ArrayList<>();
    for (int i = 0; i < addrs; i++) {
      a.add(Multiaddr.fromString("/ip4/10.0.0." + i + "/tcp/" + (4000 + i)));
    }
    return new KadPeer(PrivateKey.generate().peerId(), a);
  }

  @Test
  void aReplyIsFittedToWhatDecodersAccept() {
    List<KadPeer> providers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      providers.add(peer(16));
    }
    List<KadPeer> closer = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      closer.add(peer(16));
    }
    KadMessage m = new KadMessage(KadMessage.Type.GET_PROVIDERS, Capabilities.capabilityKey("k"), null, closer,
        providers);
    KadMessage fitted = m.fitTo(16 * 1024);
    assertThat(fitted.encode().length).isLessThanOrEqualTo(16 * 1024);
    assertThat(fitted.closer()).isEqualTo(closer); // providers go first
    assertThat(fitted.providers()).isNotEmpty().isEqualTo(providers.subList(0, fitted.providers().size()));
    KadMessage decoded = KadMessage.decode(fitted.encode(), 16 * 1024);
    assertThat(decoded.providers()).hasSize(fitted.providers().size());

    KadMessage capped = m.fitTo(1 << 20);
    assertThat(capped.providers()).hasSize(KadMessage.MAX_PEERS);
    assertThat(KadMessage.decode(capped.encode(), 1 << 20).providers()).hasSize(KadMessage.MAX_PEERS);
  }
}
