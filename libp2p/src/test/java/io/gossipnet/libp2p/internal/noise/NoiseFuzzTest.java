package io.gossipnet.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.Libp2pException;
import io.gossipnet.libp2p.crypto.PeerId;
import io.gossipnet.libp2p.crypto.PrivateKey;
import io.gossipnet.testkit.fuzz.Decoding;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import io.gossipnet.testkit.fuzz.Mutations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the Noise XX handshake as libp2p runs it: the handshake payload ({@link
 * NoisePayload#verify}: the {@code NoiseHandshakePayload} protobuf with the identity key, its
 * signature over the static key, and the muxer extensions), the handshake messages in their
 * 2-byte-length frames ({@link NoiseHandshakeHandler} on an in-memory channel: message A to a
 * responder, B to an initiator, C to a responder), and the transport frames after the handshake
 * ({@link NoiseTransportCodec}). Every input is accepted or refused with a {@link
 * Libp2pException}, nothing else escapes, and allocations stay within what the input backs.
 */
class NoiseFuzzTest {
  private static final long EXCEPTION_SLACK = 64 * 1024;
  private static final long CHANNEL_SLACK = 64 * 1024;
  /** The transport codec's two reused 64 KiB frame arrays. */
  private static final long CODEC_SCRATCH = 2 * 65535;
  /** The X25519 and ChaChaPoly work of reading and answering one handshake message. */
  private static final long HANDSHAKE_CRYPTO = 256 * 1024;

  private static final List<PrivateKey> IDENTITIES = IntStream.range(0, 4)
      .mapToObj(i -> {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) (i + 1));
        return PrivateKey.fromSeed(seed);
      })
      .toList();
  /** The static key every generated payload signs, so that mutated payloads can still verify. */
  private static final byte[] STATIC = NoiseXXHandshake.rawPublic(NoiseXXHandshake.generateX25519());
  private static final PrivateKey INITIATOR_ID = IDENTITIES.get(0);
  private static final PrivateKey RESPONDER_ID = IDENTITIES.get(1);
  private static final KeyPair INITIATOR_STATIC = NoiseXXHandshake.generateX25519();
  private static final KeyPair RESPONDER_STATIC = NoiseXXHandshake.generateX25519();
  private static final byte[] INITIATOR_PAYLOAD =
      NoisePayload.create(INITIATOR_ID, NoiseXXHandshake.rawPublic(INITIATOR_STATIC), List.of("/yamux/1.0.0"));
  private static final byte[] RESPONDER_PAYLOAD =
      NoisePayload.create(RESPONDER_ID, NoiseXXHandshake.rawPublic(RESPONDER_STATIC), List.of("/yamux/1.0.0"));
  private static final byte[] TRANSPORT_KEY = new byte[32];

  static {
    Arrays.fill(TRANSPORT_KEY, (byte) 0x5a);
    // The first handshake loads the JDK's X25519, ChaChaPoly and HMAC classes on this thread; the
    // allocation counter should see decoding, not class loading.
    for (int i = 0; i < 3; i++) {
      Handshake h = new Handshake();
      h.deliverBUnchecked();
      try {
        h.deliverC(h.messageC);
      } catch (Libp2pException e) {
        throw new AssertionError(e);
      }
      Handshake bad = new Handshake();
      byte[] b = bad.messageB.clone();
      b[b.length - 1] ^= 1;
      try {
        bad.deliverB(b);
      } catch (Libp2pException expected) {
        // warm-up of the refusal path
      }
    }
  }

  // ---- generators ----

  @Provide
  Arbitrary<List<String>> muxers() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.of("/yamux/1.0.0", "/mplex/6.7.0")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40)))
        .list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<PrivateKey> identities() {
    return Arbitraries.of(IDENTITIES);
  }

  /** Handshake payloads made by {@link NoisePayload#create}, all signing {@link #STATIC}. */
  @Provide
  Arbitrary<byte[]> validPayloads() {
    return net.jqwik.api.Combinators.combine(identities(), muxers())
        .as((id, m) -> NoisePayload.create(id, STATIC, m));
  }

  @Provide
  Arbitrary<byte[]> mutatedPayloads() {
    return Mutations.of(validPayloads(), 256);
  }

  /** Message A frames (the initiator's ephemeral key, its empty payload) and some with payloads. */
  @Provide
  Arbitrary<byte[]> mutatedMessageAFrames() {
    Arbitrary<byte[]> valid = Mutations.randomBytes(64).map(payload -> {
      try {
        return frame(new NoiseXXHandshake(true, INITIATOR_STATIC).writeMessageA(payload));
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    });
    return Mutations.of(valid, 128);
  }

  /** A fresh handshake up to message B, with message B mutated (the handshake state is per case). */
  @Provide
  Arbitrary<Delivery> mutatedMessageB() {
    return Arbitraries.create(Handshake::new)
        .flatMap(h -> Mutations.of(Arbitraries.just(h.messageB), 256).map(b -> new Delivery(h, b)));
  }

  /** A fresh handshake up to message C, with message C mutated. */
  @Provide
  Arbitrary<Delivery> mutatedMessageC() {
    return Arbitraries.create(() -> {
      Handshake h = new Handshake();
      h.deliverBUnchecked();
      return h;
    }).flatMap(h -> Mutations.of(Arbitraries.just(h.messageC), 256).map(c -> new Delivery(h, c)));
  }

  /** Transport frames of up to four plaintexts, encrypted with {@link #TRANSPORT_KEY} from nonce 0. */
  @Provide
  Arbitrary<List<byte[]>> plaintexts() {
    return Mutations.randomBytes(300).list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<byte[]> mutatedTransportFrames() {
    return Mutations.of(plaintexts().map(NoiseFuzzTest::transportFrames), 256);
  }

  // ---- round trips: the generators produce valid input ----

  @Property
  void aValidHandshakePayloadVerifiesToItsIdentityAndMuxers(@ForAll("identities") PrivateKey id,
      @ForAll("muxers") List<String> muxers) throws Libp2pException {
    NoisePayload.Verified v = NoisePayload.verify(NoisePayload.create(id, STATIC, muxers), STATIC, id.peerId());
    assertThat(v).isEqualTo(new NoisePayload.Verified(id.peerId(), id.publicKey(), muxers));
  }

  @Property
  void anUntouchedHandshakeSecuresBothSidesWithEachOthersIdentity(@ForAll("muxers") List<String> ignored)
      throws Libp2pException {
    Handshake h = new Handshake();
    h.deliverB(h.messageB);
    h.deliverC(h.messageC);
    assertThat(h.initiatorSecured.get().peerId()).isEqualTo(RESPONDER_ID.peerId());
    assertThat(h.responderSecured.get().peerId()).isEqualTo(INITIATOR_ID.peerId());
    assertThat(h.initiatorSecured.get().streamMuxers()).containsExactly("/yamux/1.0.0");
    assertThat(h.initiator.pipeline().get(NoiseTransportCodec.class)).isNotNull();
    assertThat(h.responder.pipeline().get(NoiseTransportCodec.class)).isNotNull();
  }

  @Property
  void validTransportFramesDecryptToThePlaintextsSent(@ForAll("plaintexts") List<byte[]> plaintexts)
      throws Libp2pException {
    List<byte[]> received = receiveTransport(transportFrames(plaintexts));
    assertThat(received).hasSameSizeAs(plaintexts);
    for (int i = 0; i < plaintexts.size(); i++) {
      assertThat(received.get(i)).isEqualTo(plaintexts.get(i));
    }
  }

  // ---- the handshake payload ----

  @Property
  void aMutatedHandshakePayloadIsVerifiedOrRefusedNeverCrashes(@ForAll("mutatedPayloads") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input),
        in -> NoisePayload.verify(in, STATIC, null), Libp2pException.class);
    Statistics.collect(outcome);
  }

  @Property
  void aMutatedHandshakePayloadForADialedPeerIsVerifiedOrRefusedNeverCrashes(
      @ForAll("mutatedPayloads") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input), in -> {
      NoisePayload.Verified v = NoisePayload.verify(in, STATIC, RESPONDER_ID.peerId());
      assertThat(v.peerId()).isEqualTo(RESPONDER_ID.peerId());
      return v;
    }, Libp2pException.class);
    Statistics.collect(outcome);
  }

  // ---- handshake messages in their frames ----

  @Property
  void aMutatedMessageAIsAnsweredWaitedForOrRefusedNeverCrashes(@ForAll("mutatedMessageAFrames") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input) + CHANNEL_SLACK + HANDSHAKE_CRYPTO, in -> {
      EmbeddedChannel responder = new EmbeddedChannel(
          new NoiseHandshakeHandler(false, RESPONDER_STATIC, RESPONDER_PAYLOAD, null, (ctx, v) -> {
            throw new AssertionError("secured after message A");
          }));
      try {
        writeInbound(responder, in);
        return responder;
      } finally {
        responder.finishAndReleaseAll();
      }
    }, Libp2pException.class);
    Statistics.collect(outcome);
  }

  // A case's handshake state is used up by running it: no shrinking, no edge cases (which reuse values).
  @Property(shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
  void aMutatedMessageBIsAcceptedOrRefusedByTheInitiatorNeverCrashes(@ForAll("mutatedMessageB") Delivery d) {
    Outcome outcome = Decoding.check(d.message, limit(d.message) + HANDSHAKE_CRYPTO, d.handshake::deliverB,
        Libp2pException.class);
    if (outcome == Outcome.ACCEPTED && d.handshake.initiatorSecured.get() != null) {
      assertThat(d.handshake.initiatorSecured.get().peerId()).isEqualTo(RESPONDER_ID.peerId());
    }
    d.handshake.close();
    Statistics.collect(outcome);
  }

  // A case's handshake state is used up by running it: no shrinking, no edge cases (which reuse values).
  @Property(shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
  void aMutatedMessageCIsAcceptedOrRefusedByTheResponderNeverCrashes(@ForAll("mutatedMessageC") Delivery d) {
    Outcome outcome = Decoding.check(d.message, limit(d.message) + HANDSHAKE_CRYPTO, d.handshake::deliverC,
        Libp2pException.class);
    if (outcome == Outcome.ACCEPTED && d.handshake.responderSecured.get() != null) {
      assertThat(d.handshake.responderSecured.get().peerId()).isEqualTo(INITIATOR_ID.peerId());
    }
    d.handshake.close();
    Statistics.collect(outcome);
  }

  // ---- transport frames ----

  @Property
  void mutatedTransportFramesAreDecryptedOrRefusedNeverCrash(@ForAll("mutatedTransportFrames") byte[] input) {
    Outcome outcome = Decoding.check(input, limit(input) + CHANNEL_SLACK + CODEC_SCRATCH,
        NoiseFuzzTest::receiveTransport, Libp2pException.class);
    Statistics.collect(outcome);
  }

  // ---- helpers ----

  /** One handshake between two in-memory channels, run up to the message under test. */
  static final class Handshake {
    final AtomicReference<NoisePayload.Verified> initiatorSecured = new AtomicReference<>();
    final AtomicReference<NoisePayload.Verified> responderSecured = new AtomicReference<>();
    final EmbeddedChannel initiator = new EmbeddedChannel(new NoiseHandshakeHandler(true, INITIATOR_STATIC,
        INITIATOR_PAYLOAD, RESPONDER_ID.peerId(), (ctx, v) -> initiatorSecured.set(v)));
    final EmbeddedChannel responder = new EmbeddedChannel(new NoiseHandshakeHandler(false, RESPONDER_STATIC,
        RESPONDER_PAYLOAD, null, (ctx, v) -> responderSecured.set(v)));
    final byte[] messageA;
    final byte[] messageB;
    byte[] messageC;

    Handshake() {
      messageA = drain(initiator);
      try {
        writeInbound(responder, messageA);
      } catch (Libp2pException e) {
        throw new AssertionError(e);
      }
      messageB = drain(responder);
    }

    /** Gives {@code b} to the initiator as message B. */
    Object deliverB(byte[] b) throws Libp2pException {
      writeInbound(initiator, b);
      messageC = drain(initiator);
      return initiatorSecured.get();
    }

    void deliverBUnchecked() {
      try {
        deliverB(messageB);
      } catch (Libp2pException e) {
        throw new AssertionError(e);
      }
    }

    /** Gives {@code c} to the responder as message C. */
    Object deliverC(byte[] c) throws Libp2pException {
      writeInbound(responder, c);
      return responderSecured.get();
    }

    void close() {
      initiator.finishAndReleaseAll();
      responder.finishAndReleaseAll();
    }
  }

  /** A handshake and the (mutated) message to give it. */
  record Delivery(Handshake handshake, byte[] message) {
    @Override
    public String toString() {
      return Decoding.hex(message);
    }
  }

  private static long limit(byte[] input) {
    return EXCEPTION_SLACK + 8L * input.length;
  }


  static byte[] frame(byte[] msg) {
    byte[] out = new byte[2 + msg.length];
    out[0] = (byte) (msg.length >> 8);
    out[1] = (byte) msg.length;
    System.arraycopy(msg, 0, out, 2, msg.length);
    return out;
  }

  static byte[] transportFrames(List<byte[]> plaintexts) {
    CipherState send = new CipherState(TRANSPORT_KEY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (byte[] p : plaintexts) {
        out.writeBytes(frame(send.encrypt(null, p)));
      }
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  /** The plaintexts a fresh receiving codec with {@link #TRANSPORT_KEY} makes of {@code frames}. */
  static List<byte[]> receiveTransport(byte[] frames) throws Libp2pException {
    EmbeddedChannel ch = new EmbeddedChannel(
        new NoiseTransportCodec(new CipherState(new byte[32]), new CipherState(TRANSPORT_KEY)));
    try {
      writeInbound(ch, frames);
      List<byte[]> out = new ArrayList<>();
      ByteBuf b;
      while ((b = ch.readInbound()) != null) {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        b.release();
        out.add(a);
      }
      return out;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  static byte[] drain(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      out.writeBytes(a);
    }
    return out.toByteArray();
  }

  /** Writes {@code in}; a decoder failure is rethrown as its cause when that is a Libp2pException. */
  static void writeInbound(EmbeddedChannel ch, byte[] in) throws Libp2pException {
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(in));
      ch.checkException();
    } catch (DecoderException e) {
      if (e.getCause() instanceof Libp2pException l) {
        throw l;
      }
      throw e;
    }
  }
}
