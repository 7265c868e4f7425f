package io.gossipnet.libp2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {
  private static final long HOUR = 3_600_000_000_000L;

  private static KadPeer provider() {
    return new KadPeer(PrivateKey.generate().peerId(), List.of(Multiaddr.fromString("/ip4/10.0.0.1/tcp/4001")));
  }

  private static byte[] key(int i) {
    return Capabilities.capabilityKey("key-" + i);
  }

  @Test
  void aFullStoreRefusesNewRecordsButRenewsAndKeepsOurOwn() {
    ProviderStore s = new ProviderStore(HOUR, 10, 3);
    KadPeer p = provider();
    for (int i = 0; i < 3; i++) {
      assertThat(s.add(key(i), p, false)).isTrue();
    }
    assertThat(s.add(key(3), p, false)).isFalse(); // a flood of fresh keys stops here
    assertThat(s.add(key(0), p, false)).isTrue(); // renewal of an existing record
    assertThat(s.add(key(4), provider(), true)).isTrue(); // our own
    assertThat(s.size()).isEqualTo(4);
    assertThat(s.get(key(3))).isEmpty();
  }

  @Test
  void expiredRecordsMakeRoom() {
    ProviderStore s = new ProviderStore(1, 10, 2); // expire at once
    assertThat(s.add(key(0), provider(), false)).isTrue();
    assertThat(s.add(key(1), provider(), false)).isTrue();
    assertThat(s.add(key(2), provider(), false)).isTrue();
    assertThat(s.get(key(2))).isEmpty(); // expired too, but it was admitted
    assertThat(s.size()).isZero();
  }

  @Test
  void perKeyTheOldestMakesRoomAndTheNewestComeFirst() {
    ProviderStore s = new ProviderStore(HOUR, 2, 100);
    KadPeer a = provider();
    KadPeer b = provider();
    KadPeer c = provider();
    s.add(key(0), a, false);
    s.add(key(0), b, false);
    s.add(key(0), c, false);
    assertThat(s.get(key(0))).containsExactly(c, b);
    s.add(key(0), b, false); // renewed: newest
    assertThat(s.get(key(0))).containsExactly(b, c);
    assertThat(s.size()).isEqualTo(2);
  }
}
