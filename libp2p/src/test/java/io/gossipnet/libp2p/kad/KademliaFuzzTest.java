package io.gossipnet.libp2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.internal.wire.ProtoWriter;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Mutations;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Fuzz properties of the Kademlia DHT message decoder ({@link KadMessage#decode}: type, key,
 * record, closer and provider peers with their addresses). The decoder returns a message with at
 * most {@link KadMessage#MAX_PEERS} peers per list and {@link KadMessage#MAX_ADDRS} addresses per
 * peer, or refuses the input with {@link IllegalArgumentException} as its Javadoc declares, and
 * never allocates more than a small multiple of its input.
 */
class KademliaFuzzTest {
  private static final int MAX_SIZE = KadConfig.DEFAULT_MAX_MESSAGE_SIZE;

  private static long allocationLimit(byte[] input) {
    // a copy of each field, a reader per peer, a list node per address; 64 KiB for the exception
    return 64 * 1024 + 32L * input.length;
  }

  private static KadMessage decode(byte[] b) {
    return KadMessage.decode(b, MAX_SIZE);
  }

  // ------------------------------------------------------------------ generators

  private static Arbitrary<PeerId> peerIds() {
    Arbitrary<PeerId> sha256 = Arbitraries.bytes().array(byte[].class).ofSize(32).map(d -> {
      byte[] mh = new byte[34];
      mh[0] = 0x12;
      mh[1] = 0x20;
      System.arraycopy(d, 0, mh, 2, 32);
      return PeerId.fromBytes(mh);
    });
    // identity multihashes as Ed25519 peer IDs are: 0x00, length, protobuf public key
    Arbitrary<PeerId> identity = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(42).map(d -> {
      byte[] mh = new byte[d.length + 2];
      mh[1] = (byte) d.length;
      System.arraycopy(d, 0, mh, 2, d.length);
      return PeerId.fromBytes(mh);
    });
    return Arbitraries.oneOf(sha256, identity);
  }

  private static Arbitrary<Multiaddr> addresses() {
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
    Arbitrary<String> ip4 = Combinators.combine(octet, octet, octet, octet, port)
        .as((a, b, c, d, p) -> "/ip4/" + a + "." + b + "." + c + "." + d + "/tcp/" + p);
    Arbitrary<String> dns = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12), port)
        .as((h, p) -> "/dns4/" + h + ".example/tcp/" + p);
    Arbitrary<String> ip6 = port.map(p -> "/ip6/::1/udp/" + p + "/quic-v1");
    Arbitrary<Multiaddr> text = Arbitraries.oneOf(ip4, dns, ip6).map(Multiaddr::fromString);
    Arbitrary<Multiaddr> withPeer = Combinators.combine(text, peerIds())
        .as((a, id) -> Multiaddr.fromString(a + "/p2p/" + id));
    return Arbitraries.oneOf(text, withPeer);
  }

  private static Arbitrary<KadPeer> peers() {
    return Combinators.combine(peerIds(), addresses().list().ofMaxSize(3)).as(KadPeer::new);
  }

  private static Arbitrary<KadMessage> messages() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(64).injectNull(0.3);
    return Combinators.combine(Arbitraries.of(KadMessage.Type.class), bytes, bytes, peers().list().ofMaxSize(4),
        peers().list().ofMaxSize(4)).as(KadMessage::new);
  }

  @Provide
  Arbitrary<KadMessage> validMessages() {
    return messages();
  }

  @Provide
  Arbitrary<byte[]> fuzzedMessages() {
    return Mutations.of(messages().map(KadMessage::encode), 512);
  }

  @Provide
  Arbitrary<byte[]> random() {
    return Mutations.randomBytes(256);
  }

  // ------------------------------------------------------------------ properties

  @Property
  void aValidMessageSurvivesARoundTripWithItsKeyRecordAndPeers(@ForAll("validMessages") KadMessage m) {
    byte[] encoded = m.encode();
    KadMessage d = decode(encoded);
    assertThat(d.encode()).isEqualTo(encoded);
    assertThat(d.type()).isEqualTo(m.type());
    assertThat(d.key()).isEqualTo(m.key());
    assertThat(d.record()).isEqualTo(m.record());
    assertThat(d.closer()).isEqualTo(m.closer());
    assertThat(d.providers()).isEqualTo(m.providers());
  }

  @Property
  void aMutatedMessageIsDecodedWithinTheLimitsOrRefusedWithIllegalArgument(@ForAll("fuzzedMessages") byte[] input) {
    Statistics.collect(Decoding.check(input, allocationLimit(input), b -> {
      KadMessage m = decode(b);
      assertWithinLimits(m);
      return m;
    }, IllegalArgumentException.class));
  }

  @Property
  void randomBytesAreDecodedOrRefusedWithIllegalArgument(@ForAll("random") byte[] input) {
    Statistics.collect(Decoding.check(input, allocationLimit(input), KademliaFuzzTest::decode,
        IllegalArgumentException.class));
  }

  private static void assertWithinLimits(KadMessage m) {
    assertThat(m.closer().size()).isLessThanOrEqualTo(KadMessage.MAX_PEERS);
    assertThat(m.providers().size()).isLessThanOrEqualTo(KadMessage.MAX_PEERS);
    for (KadPeer p : concat(m.closer(), m.providers())) {
      assertThat(p.id()).isNotNull();
      assertThat(p.addresses().size()).isLessThanOrEqualTo(KadMessage.MAX_ADDRS);
    }
  }

  private static List<KadPeer> concat(List<KadPeer> a, List<KadPeer> b) {
    List<KadPeer> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // ------------------------------------------------------------------ floods and limits

  private static byte[] peer(int addrs) {
    ProtoWriter w = new ProtoWriter().bytes(1, new byte[] {0x00, 0x01, 0x07});
    for (int i = 0; i < addrs; i++) {
      w.bytes(2, Multiaddr.fromString("/ip4/10.0." + (i >> 8 & 255) + "." + (i & 255) + "/tcp/4001").toBytes());
    }
    return w.toByteArray();
  }

  private static byte[] withPeers(int field, int n, int addrs) {
    ProtoWriter w = new ProtoWriter().varint(1, KadMessage.Type.FIND_NODE.ordinal()).bytes(2, new byte[] {1});
    byte[] p = peer(addrs);
    for (int i = 0; i < n; i++) {
      w.bytes(field, p);
    }
    return w.toByteArray();
  }

  private static Decoding.Outcome check(byte[] input) {
    return Decoding.check(input, allocationLimit(input), KademliaFuzzTest::decode, IllegalArgumentException.class);
  }

  @Test
  void aListOfMoreThan64CloserOrProviderPeersIsRefused() {
    assertThat(decode(withPeers(8, KadMessage.MAX_PEERS, 1)).closer()).hasSize(KadMessage.MAX_PEERS);
    assertThat(decode(withPeers(9, KadMessage.MAX_PEERS, 1)).providers()).hasSize(KadMessage.MAX_PEERS);
    for (int field : new int[] {8, 9}) {
      byte[] flood = withPeers(field, 1000, 0);
      assertThat(check(flood)).isEqualTo(Decoding.Outcome.REFUSED);
      assertThatThrownBy(() -> decode(flood)).hasMessageContaining("more than 64 peers");
    }
  }

  @Test
  void aPeerWithThousandsOfAddressesKeepsTheFirst16() {
    byte[] input = withPeers(8, 1, 3000);
    assertThat(input.length).isLessThan(MAX_SIZE);
    assertThat(check(input)).isEqualTo(Decoding.Outcome.ACCEPTED);
    assertThat(decode(input).closer().get(0).addresses()).hasSize(KadMessage.MAX_ADDRS);
  }

  @Test
  void garbageAddressesAreDroppedAndAPeerWithoutIdIsRefused() {
    byte[] garbage = new ProtoWriter().bytes(8, new ProtoWriter().bytes(1, new byte[] {0x00, 0x01, 0x07})
        .bytes(2, new byte[] {(byte) 0xff, (byte) 0xff, 0x03}).bytes(2, Multiaddr.fromString("/ip4/1.2.3.4/tcp/1")
            .toBytes()).toByteArray()).toByteArray();
    assertThat(decode(garbage).closer().get(0).addresses()).containsExactly(Multiaddr.fromString("/ip4/1.2.3.4/tcp/1"));
    byte[] noId = new ProtoWriter().bytes(9, new ProtoWriter().bytes(2, Multiaddr.fromString("/ip4/1.2.3.4/tcp/1")
        .toBytes()).toByteArray()).toByteArray();
    assertThatThrownBy(() -> decode(noId)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without id");
  }

  @Test
  void aMessageOverTheMaximumSizeOrOfAnUnknownTypeIsRefused() {
    assertThatThrownBy(() -> decode(new byte[MAX_SIZE + 1])).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> decode(new byte[] {0x08, 0x06})).hasMessageContaining("unknown DHT message type");
    // a key or record length field announcing more than the input is refused before allocating
    assertThat(check(new byte[] {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1})).isEqualTo(Decoding.Outcome.REFUSED);
  }
}
