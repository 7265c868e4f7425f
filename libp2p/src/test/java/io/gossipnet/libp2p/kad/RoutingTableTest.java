package io.gossipnet.libp2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private final PeerId self = PrivateKey.generate().peerId();

  private static KadPeer peer() {
    return new KadPeer(PrivateKey.generate().peerId(), List.of());
  }

  @Test
  void closestIsSortedByXorDistanceOfTheSha256Keys() {
    RoutingTable t = new RoutingTable(self, 20);
    List<KadPeer> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      KadPeer p = peer();
      all.add(p);
      t.add(p, x -> true);
    }
    KadKey target = KadKey.of(new byte[] {1, 2, 3});
    List<KadPeer> closest = t.closest(target, 5);
    assertThat(closest).hasSize(5);
    List<KadPeer> present = all.stream().filter(p -> t.get(p.id()) != null)
        .sorted(Comparator.comparing((KadPeer p) -> KadKey.of(p.id().toBytes()), target::compareDistance)).toList();
    assertThat(closest).containsExactlyElementsOf(present.subList(0, 5));
  }

  @Test
  void aFullBucketReplacesOnlyADeadOldestMember() {
    RoutingTable t = new RoutingTable(self, 1);
    // find two peers in the same bucket (the far half: prefix length 0 is half of all keys)
    KadKey me = KadKey.of(self.toBytes());
    List<KadPeer> far = new ArrayList<>();
    while (far.size() < 3) {
      KadPeer p = peer();
      if (me.commonPrefixLength(KadKey.of(p.id().toBytes())) == 0) {
        far.add(p);
      }
    }
    assertThat(t.add(far.get(0), x -> true)).isTrue();
    assertThat(t.add(far.get(1), x -> true)).isFalse(); // oldest alive: newcomer refused
    assertThat(t.get(far.get(0).id())).isNotNull();
    assertThat(t.add(far.get(2), x -> false)).isTrue(); // oldest dead: replaced
    assertThat(t.get(far.get(0).id())).isNull();
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void commonPrefixLengthCountsLeadingEqualBits() {
    KadKey a = new KadKey(new byte[] {(byte) 0b1010_0000, 0});
    assertThat(a.commonPrefixLength(new KadKey(new byte[] {(byte) 0b1010_0000, 0}))).isEqualTo(16);
    assertThat(a.commonPrefixLength(new KadKey(new byte[] {(byte) 0b1011_0000, 0}))).isEqualTo(3);
    assertThat(a.commonPrefixLength(new KadKey(new byte[] {(byte) 0b0010_0000, 0}))).isZero();
  }
}
