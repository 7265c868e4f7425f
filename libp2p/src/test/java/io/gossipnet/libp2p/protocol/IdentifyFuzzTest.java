package io.gossipnet.libp2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.Connection;
import io.gossipnet.libp2p.Direction;
import io.gossipnet.libp2p.IdentifyInfo;
import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.PeerRecord;
import io.gossipnet.libp2p.Stream;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.libp2p.encoding.Varint;
import io.gossipnet.libp2p.multiformats.Multiaddr;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import io.gossipnet.testkit.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing identify and signed peer records: {@link Identify#readAll} (length-prefixed identify
 * protobufs read from a stream until its end, merged, and checked against the connection's peer)
 * over an in-memory stream, and {@link PeerRecord#verify} (the signed envelope and the peer record
 * inside it). Every input is accepted or refused with a {@link Libp2pException} (an {@link
 * IOException} from the stream reader), and allocations stay within what the input backs.
 */
class IdentifyFuzzTest {
  private static final long EXCEPTION_SLACK = 64 * 1024;
  /**
   * {@link InputStream#readNBytes(int)} reserves up to the announced length (at most {@link
   * Identify#MAX_MESSAGE_SIZE}) before it knows how much the stream holds.
   */
  private static final long READ_BUFFER = Identify.MAX_MESSAGE_SIZE;
  private static final List<PrivateKey> KEYS = IntStream.range(0, 3)
      .mapToObj(i -> {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) (0x30 + i));
        return PrivateKey.fromSeed(seed);
      })
      .toList();
  /** The peer every generated message and record describes: the remote of the in-memory connection. */
  private static final PrivateKey REMOTE = KEYS.get(0);

  // ---- generators ----

  @Provide
  Arbitrary<Multiaddr> addresses() {
    Arbitrary<String> ip4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
        .map(l -> "/ip4/" + l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
    Arbitrary<String> ip6 = Arbitraries.of("/ip6/::1", "/ip6/2001:db8::7", "/ip6/fe80::1:2:3:4");
    Arbitrary<String> dns = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20)
        .map(h -> "/dns4/" + h + ".example");
    Arbitrary<String> host = Arbitraries.oneOf(ip4, ip6, dns);
    Arbitrary<String> transport = Combinators.combine(Arbitraries.of("tcp", "udp"), Arbitraries.integers().between(0, 65535))
        .as((t, p) -> "/" + t + "/" + p + (t.equals("udp") ? "/quic-v1" : ""));
    Arbitrary<String> p2p = Arbitraries.of("", "/p2p/" + REMOTE.peerId().toBase58());
    return Combinators.combine(host, transport, p2p).as((h, t, p) -> Multiaddr.fromString(h + t + p));
  }

  @Provide
  Arbitrary<PeerRecord> records() {
    return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), addresses().list().ofMaxSize(4))
        .as((seq, addrs) -> new PeerRecord(REMOTE.peerId(), seq, addrs));
  }

  @Provide
  Arbitrary<Identify.Local> locals() {
    Arbitrary<String> agent = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff')
        .ofMaxLength(60);
    Arbitrary<List<String>> protocols = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.1.0",
            "/ipfs/kad/1.0.0")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30)))
        .list().ofMaxSize(6);
    return Combinators.combine(agent, addresses().list().ofMaxSize(4), protocols, records())
        .as((a, listen, p, rec) -> new Identify.Local(REMOTE, a, listen, p, rec.sign(REMOTE)));
  }

  /** One identify message as the responder sends it: a varint length and the protobuf. */
  @Provide
  Arbitrary<byte[]> identifyStreams() {
    Arbitrary<Multiaddr> observed = Arbitraries.oneOf(addresses(), Arbitraries.just(null));
    Arbitrary<byte[]> one = Combinators.combine(locals(), observed).as((l, o) -> delimited(Identify.encode(l, o)));
    return one.list().ofMinSize(1).ofMaxSize(2).map(IdentifyFuzzTest::concat);
  }

  @Provide
  Arbitrary<byte[]> mutatedIdentifyStreams() {
    return Mutations.of(identifyStreams(), 256);
  }

  @Provide
  Arbitrary<byte[]> mutatedEnvelopes() {
    return Mutations.of(records().map(r -> r.sign(REMOTE)), 256);
  }

  // ---- round trips: the generators produce valid input ----

  @Property
  void anIdentifyMessageReadsBackAsTheInformationEncoded(@ForAll("locals") Identify.Local local,
      @ForAll("addresses") Multiaddr observed) throws IOException {
    IdentifyInfo info = Identify.readAll(new MemoryStream(delimited(Identify.encode(local, observed))), null);
    assertThat(info.publicKey()).isEqualTo(REMOTE.publicKey());
    assertThat(info.protocolVersion()).isEqualTo(Identify.PROTOCOL_VERSION);
    assertThat(info.agentVersion()).isEqualTo(local.agentVersion());
    assertThat(info.listenAddresses()).containsExactlyElementsOf(local.listenAddresses());
    assertThat(info.observedAddress()).isEqualTo(observed);
    assertThat(info.protocols()).containsExactlyElementsOf(local.protocols());
    assertThat(info.signedPeerRecordEnvelope()).isEqualTo(local.signedPeerRecord());
    assertThat(info.signedPeerRecord()).isEqualTo(PeerRecord.verify(local.signedPeerRecord(), REMOTE.peerId()));
  }

  @Property
  void aSignedPeerRecordVerifiesToTheRecordSigned(@ForAll("records") PeerRecord record) throws Libp2pException {
    assertThat(PeerRecord.verify(record.sign(REMOTE), REMOTE.peerId())).isEqualTo(record);
  }

  // ---- hostile input ----

  @Property
  void aMutatedIdentifyStreamIsReadOrRefusedNeverCrashes(@ForAll("mutatedIdentifyStreams") byte[] input) {
    Outcome outcome = check(input, limit(input) + READ_BUFFER, in -> {
      IdentifyInfo info = Identify.readAll(new MemoryStream(in), null);
      assertThat(info.publicKey()).isEqualTo(REMOTE.publicKey());
      return info;
    }, IOException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aMutatedIdentifyPushIsMergedOrRefusedNeverCrashes(@ForAll("mutatedIdentifyStreams") byte[] input)
      throws IOException {
    IdentifyInfo previous = Identify.readAll(new MemoryStream(validIdentify()), null);
    Outcome outcome = check(input, limit(input) + READ_BUFFER,
        in -> Identify.readAll(new MemoryStream(in), previous), IOException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aMutatedSignedPeerRecordIsVerifiedOrRefusedNeverCrashes(@ForAll("mutatedEnvelopes") byte[] input) {
    Outcome outcome = check(input, limit(input), in -> {
      PeerRecord r = PeerRecord.verify(in, REMOTE.peerId());
      assertThat(r.peerId()).isEqualTo(REMOTE.peerId());
      return r;
    }, Libp2pException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aMutatedSignedPeerRecordExpectedFromAnotherPeerIsRefused(@ForAll("mutatedEnvelopes") byte[] input) {
    Outcome outcome = check(input, limit(input), in -> PeerRecord.verify(in, KEYS.get(1).peerId()),
        Libp2pException.class);
    assertThat(outcome).isEqualTo(Outcome.REFUSED);
  }

  // ---- helpers ----

  private static long limit(byte[] input) {
    return EXCEPTION_SLACK + 16L * input.length;
  }

  @SafeVarargs
  static <T> Outcome check(byte[] input, long limit, Decoding.Decoder<T> decoder,
      Class<? extends Throwable>... refusals) {
    try {
      return Decoding.check(input, limit, decoder, refusals);
    } catch (AssertionError e) {
      // The first run of a code path loads classes on this thread; a length-driven allocation repeats.
      if (e.getMessage() == null || !e.getMessage().startsWith("the decoder allocated")) {
        throw e;
      }
      return Decoding.check(input, limit, decoder, refusals);
    }
  }

  private static byte[] validIdentifyCache;

  private static synchronized byte[] validIdentify() {
    if (validIdentifyCache == null) {
      validIdentifyCache = delimited(Identify.encode(new Identify.Local(REMOTE, "fuzz/1",
          List.of(Multiaddr.fromString("/ip4/10.0.0.1/tcp/4001")), List.of(Identify.PROTOCOL),
          new PeerRecord(REMOTE.peerId(), 1, List.of()).sign(REMOTE)), null));
    }
    return validIdentifyCache;
  }

  static byte[] delimited(byte[] msg) {
    return concat(List.of(Varint.encode(msg.length), msg));
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** A stream whose remote sent {@code bytes} and half-closed, on a connection to {@link #REMOTE}. */
  static final class MemoryStream implements Stream {
    private final InputStream in;

    MemoryStream(byte[] bytes) {
      this.in = new ByteArrayInputStream(bytes);
    }

    @Override
    public Connection connection() {
      return MemoryConnection.INSTANCE;
    }

    @Override
    public String protocol() {
      return Identify.PROTOCOL;
    }

    @Override
    public InputStream in() {
      return in;
    }

    @Override
    public OutputStream out() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public void setReadTimeout(Duration timeout) {}

    @Override
    public void closeWrite() {}

    @Override
    public void reset() {}

    @Override
    public void close() {}
  }

  /** Only the remote peer ID is known; identify needs nothing else. */
  static final class MemoryConnection implements Connection {
    static final MemoryConnection INSTANCE = new MemoryConnection();

    @Override
    public PeerId remotePeerId() {
      return REMOTE.peerId();
    }

    @Override
    public Multiaddr remoteAddress() {
      return Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001");
    }

    @Override
    public Multiaddr localAddress() {
      return Multiaddr.fromString("/ip4/127.0.0.1/tcp/4002");
    }

    @Override
    public Direction direction() {
      return Direction.values()[0];
    }

    @Override
    public boolean earlyMuxerNegotiated() {
      return true;
    }

    @Override
    public CompletableFuture<Stream> newStream(List<String> protocols) {
      throw new UnsupportedOperationException("in-memory connection");
    }

    @Override
    public CompletableFuture<IdentifyInfo> identify() {
      throw new UnsupportedOperationException("in-memory connection");
    }

    @Override
    public int streamCount() {
      return 0;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public CompletableFuture<String> closeFuture() {
      return new CompletableFuture<>();
    }

    @Override
    public void close() {}
  }
}
