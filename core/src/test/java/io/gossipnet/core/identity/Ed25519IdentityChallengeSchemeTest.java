package io.gossipnet.core.identity;

import static io.gossipnet.core.identity.HandMsgPack.ascii;
import static io.gossipnet.core.identity.HandMsgPack.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.identity.IdentityChallengeScheme.Challenge;
import io.gossipnet.core.identity.IdentityChallengeScheme.ChallengeReply;
import io.gossipnet.core.identity.IdentityMessages.ChallengeBody;
import io.gossipnet.core.identity.IdentityMessages.ResponseBody;
import io.gossipnet.core.identity.IdentityMessages.SignedChallenge;
import io.gossipnet.core.identity.IdentityMessages.SignedResponse;
import io.gossipnet.core.identity.IdentityMessages.SignedVerification;
import io.gossipnet.core.identity.IdentityMessages.VerificationBody;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Ed25519IdentityChallengeSchemeTest {
  private static final String RELAY = "relay-1.example.net:4160";

  private final IdentityKeys dialerKeys = IdentityKeys.generate();
  private final IdentityKeys acceptorKeys = IdentityKeys.generate();
  private final IdentityKeys otherKeys = IdentityKeys.generate();
  private final Ed25519IdentityChallengeScheme dialer =
      new Ed25519IdentityChallengeScheme(dialerKeys, Set.of("dialer.example.net:4160"));
  private final Ed25519IdentityChallengeScheme acceptor =
      new Ed25519IdentityChallengeScheme(acceptorKeys, List.of(RELAY, "QmPeerId"));

  // ---- happy path ----

  @Test
  void anySignerCanSignTheChallengeAsAHybridNodesLibp2pKeyDoes() throws Exception {
    IdentityKeys libp2pKey = IdentityKeys.generate();
    AtomicInteger signatures = new AtomicInteger();
    IdentitySigner external =
        new IdentitySigner() {
          @Override
          public byte[] publicKey() {
            return libp2pKey.publicKey();
          }

          @Override
          public byte[] sign(byte[] message) {
            signatures.incrementAndGet();
            return libp2pKey.sign(message);
          }
        };
    Ed25519IdentityChallengeScheme hybridDialer = new Ed25519IdentityChallengeScheme(external, Set.of("h:1"));

    Challenge challenge = hybridDialer.createChallenge(RELAY);
    ChallengeReply reply = acceptor.verifyRequestAndAttachResponse(challenge.headerValue());
    HandshakeIdentity.Pending pending = (HandshakeIdentity.Pending) reply.identity();
    HandshakeIdentity.Verified v = (HandshakeIdentity.Verified) hybridDialer.verifyResponse(reply.headerValue(), challenge);
    byte[] ni = hybridDialer.verificationMessage(v.responseChallenge());

    assertThatCode(() -> acceptor.verifyVerificationMessage(ni, pending)).doesNotThrowAnyException();
    assertThat(pending.peerPublicKey()).isEqualTo(libp2pKey.publicKey());
    assertThat(signatures.get()).isEqualTo(2);
  }

  @Test
  void dialerAndAcceptorCompleteAllThreeMessages() throws Exception {
    Challenge challenge = dialer.createChallenge(RELAY);

    ChallengeReply reply = acceptor.verifyRequestAndAttachResponse(challenge.headerValue());
    assertThat(reply.headerValue()).isNotNull();
    HandshakeIdentity.Pending pending = (HandshakeIdentity.Pending) reply.identity();
    assertThat(pending.peerPublicKey()).isEqualTo(dialer.publicKey());
    assertThat(pending.responseChallenge()).hasSize(32);

    HandshakeIdentity verified = dialer.verifyResponse(reply.headerValue(), challenge);
    assertThat(verified).isInstanceOf(HandshakeIdentity.Verified.class);
    HandshakeIdentity.Verified v = (HandshakeIdentity.Verified) verified;
    assertThat(v.peerPublicKey()).isEqualTo(acceptor.publicKey());
    assertThat(v.responseChallenge()).isEqualTo(pending.responseChallenge());

    byte[] ni = dialer.verificationMessage(v.responseChallenge());
    assertThatCode(() -> acceptor.verifyVerificationMessage(ni, pending))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptorAnswersAChallengeAddressedToOneOfItsNames() throws Exception {
    for (String name : List.of(RELAY, "QmPeerId")) {
      Challenge challenge = dialer.createChallenge(name);
      ChallengeReply reply = acceptor.verifyRequestAndAttachResponse(challenge.headerValue());
      assertThat(reply.identity()).as(name).isInstanceOf(HandshakeIdentity.Pending.class);

      SignedResponse response =
          SignedResponse.decode(Base64.getDecoder().decode(reply.headerValue()));
      assertThat(response.body().challenge()).isEqualTo(challenge.challenge());
      assertThat(response.body().publicKey()).isEqualTo(acceptor.publicKey());
      assertThat(response.body().responseChallenge())
          .isEqualTo(((HandshakeIdentity.Pending) reply.identity()).responseChallenge());
      assertThat(response.verify()).isTrue();
    }
  }

  @Test
  void challengeCarriesTheLowerCasedAddressAndFreshRandomBytes() throws Exception {
    Challenge first = dialer.createChallenge("Relay-1.EXAMPLE.net:4160");
    Challenge second = dialer.createChallenge("Relay-1.EXAMPLE.net:4160");
    SignedChallenge decoded =
        SignedChallenge.decode(Base64.getDecoder().decode(first.headerValue()));
    assertThat(decoded.body().address()).isEqualTo(ascii(RELAY));
    assertThat(decoded.body().publicKey()).isEqualTo(dialer.publicKey());
    assertThat(decoded.body().challenge()).isEqualTo(first.challenge()).hasSize(32);
    assertThat(decoded.verify()).isTrue();
    assertThat(second.challenge()).isNotEqualTo(first.challenge());
  }

  @Test
  void acceptorMatchesAnUpperCaseDialedAddressToALowerCaseName() throws Exception {
    Challenge challenge = dialer.createChallenge("RELAY-1.Example.NET:4160");
    ChallengeReply reply = acceptor.verifyRequestAndAttachResponse(challenge.headerValue());
    assertThat(reply.identity()).isInstanceOf(HandshakeIdentity.Pending.class);
  }

  @Test
  void acceptorLowerCasesItsOwnDedupNames() throws Exception {
    var upper = new Ed25519IdentityChallengeScheme(acceptorKeys, List.of("RELAY-1.Example.net:4160", ""));
    assertThat(upper.dedupNames()).containsExactly(RELAY);
    ChallengeReply reply =
        upper.verifyRequestAndAttachResponse(dialer.createChallenge(RELAY).headerValue());
    assertThat(reply.identity()).isInstanceOf(HandshakeIdentity.Pending.class);
  }

  @Test
  void acceptorLowerCasesTheReceivedAddress() throws Exception {
    // a dialer that did not lower-case (another implementation) still matches
    byte[] c = filled(32, 5);
    String header = encode(SignedChallenge.sign(
        new ChallengeBody(dialerKeys.publicKey(), c, ascii("RELAY-1.EXAMPLE.NET:4160")), dialerKeys).encode());
    assertThat(acceptor.verifyRequestAndAttachResponse(header).identity())
        .isInstanceOf(HandshakeIdentity.Pending.class);
  }

  // ---- acceptor: continue without identity ----

  @Test
  void acceptorContinuesWithoutIdentityWhenTheHeaderIsAbsent() throws Exception {
    for (String absent : Arrays.asList(null, "")) {
      ChallengeReply reply = acceptor.verifyRequestAndAttachResponse(absent);
      assertThat(reply.headerValue()).isNull();
      assertThat(reply.identity()).isEqualTo(HandshakeIdentity.NONE);
    }
  }

  @Test
  void acceptorWithNoDedupNamesContinuesWithoutIdentity() throws Exception {
    var anonymous = new Ed25519IdentityChallengeScheme(acceptorKeys, Set.of());
    var blankOnly = new Ed25519IdentityChallengeScheme(acceptorKeys, List.of(""));
    for (var scheme : List.of(anonymous, blankOnly)) {
      ChallengeReply reply =
          scheme.verifyRequestAndAttachResponse(dialer.createChallenge(RELAY).headerValue());
      assertThat(reply.headerValue()).isNull();
      assertThat(reply.identity()).isEqualTo(HandshakeIdentity.NONE);
      // as in the seed, it does not even look at the header
      assertThat(scheme.verifyRequestAndAttachResponse("%%% not base64").identity())
          .isEqualTo(HandshakeIdentity.NONE);
    }
  }

  @Test
  void acceptorContinuesWithoutIdentityWhenTheChallengeNamesAnotherAddress() throws Exception {
    for (String other : List.of("relay-2.example.net:4160", "relay-1.example.net", "")) {
      ChallengeReply reply =
          acceptor.verifyRequestAndAttachResponse(dialer.createChallenge(other).headerValue());
      assertThat(reply.headerValue()).as(other).isNull();
      assertThat(reply.identity()).as(other).isEqualTo(HandshakeIdentity.NONE);
    }
  }

  @Test
  void acceptorContinuesWithoutIdentityWhenTheAddressIsNotUtf8() throws Exception {
    byte[] a = {(byte) 0xc3, (byte) 0x28};
    String header = encode(SignedChallenge.sign(
        new ChallengeBody(dialerKeys.publicKey(), filled(32, 5), a), dialerKeys).encode());
    assertThat(acceptor.verifyRequestAndAttachResponse(header).identity())
        .isEqualTo(HandshakeIdentity.NONE);
  }

  // ---- acceptor: abort ----

  @Test
  void acceptorRejectsGarbageBase64() {
    for (String garbage : List.of("not base64!", "AAA", "AAAA=AAA", "####", "QUJD\n")) {
      assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(garbage))
          .as(garbage)
          .isInstanceOf(IdentityException.class);
    }
  }

  @Test
  void acceptorRejectsValidBase64ThatIsNotAChallenge() {
    for (byte[] bytes : List.of(new byte[] {1, 2, 3}, ascii("hello world"), new byte[] {(byte) 0xc0})) {
      assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(encode(bytes)))
          .isInstanceOf(IdentityException.class)
          .hasMessageContaining("could not be decoded");
    }
  }

  @Test
  void acceptorRejectsATruncatedChallenge() {
    byte[] full = Base64.getDecoder().decode(dialer.createChallenge(RELAY).headerValue());
    for (int len : new int[] {0, 1, 5, full.length / 2, full.length - 1}) {
      String header = encode(Arrays.copyOf(full, len));
      if (header.isEmpty()) {
        continue; // an empty header is an absent header
      }
      assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(header))
          .as("length %d", len)
          .isInstanceOf(IdentityException.class);
    }
  }

  @Test
  void acceptorRejectsAChallengeWithWrongFieldLengths() {
    byte[] pk = dialerKeys.publicKey();
    byte[] c = filled(32, 1);
    byte[] sig = filled(64, 1);
    byte[][] variants = {
      challengeBytes(Arrays.copyOf(pk, 31), c, ascii(RELAY), sig),
      challengeBytes(pk, Arrays.copyOf(c, 33), ascii(RELAY), sig),
      challengeBytes(pk, c, filled(289, 'a'), sig),
      challengeBytes(pk, c, ascii(RELAY), Arrays.copyOf(sig, 32)),
    };
    for (byte[] v : variants) {
      assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(encode(v)))
          .isInstanceOf(IdentityException.class)
          .hasMessageContaining("could not be decoded");
    }
  }

  @Test
  void acceptorRejectsAnOversizedHeaderBeforeDecoding() {
    String oversized = "A".repeat(Ed25519IdentityChallengeScheme.MAX_HEADER_LENGTH + 4);
    assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(oversized))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("characters");
    String huge = "A".repeat(10_000_000);
    assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(huge))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void acceptorAcceptsTheLargestValidChallenge() throws Exception {
    String longest = "a".repeat(IdentityMessages.MAX_ADDRESS_LENGTH);
    var scheme = new Ed25519IdentityChallengeScheme(acceptorKeys, Set.of(longest));
    Challenge challenge = dialer.createChallenge(longest);
    assertThat(challenge.headerValue().length())
        .isLessThan(Ed25519IdentityChallengeScheme.MAX_HEADER_LENGTH);
    assertThat(scheme.verifyRequestAndAttachResponse(challenge.headerValue()).identity())
        .isInstanceOf(HandshakeIdentity.Pending.class);
  }

  @Test
  void dialerRefusesAnAddressLongerThan288Bytes() {
    assertThatThrownBy(() -> dialer.createChallenge("a".repeat(289)))
        .isInstanceOf(IllegalArgumentException.class);
    // the limit is in UTF-8 bytes, not characters
    assertThatThrownBy(() -> dialer.createChallenge("é".repeat(145)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptorRejectsAChallengeSignedByAnotherKey() {
    // claims the dialer's key but is signed by someone else
    ChallengeBody body = new ChallengeBody(dialerKeys.publicKey(), filled(32, 9), ascii(RELAY));
    String header = encode(SignedChallenge.sign(body, otherKeys).encode());
    assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(header))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("incorrectly signed");
  }

  @Test
  void acceptorRejectsAChallengeWhoseAddressWasChangedAfterSigning() throws Exception {
    SignedChallenge original =
        SignedChallenge.decode(
            Base64.getDecoder().decode(dialer.createChallenge("relay-2.example.net:4160").headerValue()));
    ChallengeBody redirected =
        new ChallengeBody(original.body().publicKey(), original.body().challenge(), ascii(RELAY));
    String header = encode(new SignedChallenge(redirected, original.signature()).encode());
    assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(header))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("incorrectly signed");
  }

  @Test
  void acceptorRejectsAChallengeSignedWithAnotherHashId() {
    ChallengeBody body = new ChallengeBody(dialerKeys.publicKey(), filled(32, 9), ascii(RELAY));
    byte[] wrongDomain = dialerKeys.sign(HandMsgPack.concat(ascii("NIR"), body.encode()));
    String header = encode(new SignedChallenge(body, wrongDomain).encode());
    assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(header))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void acceptorRejectsAnUnsignedChallenge() {
    ChallengeBody body = new ChallengeBody(dialerKeys.publicKey(), filled(32, 9), ascii(RELAY));
    String header = encode(new SignedChallenge(body, new byte[64]).encode());
    assertThatThrownBy(() -> acceptor.verifyRequestAndAttachResponse(header))
        .isInstanceOf(IdentityException.class);
  }

  // ---- dialer: message 2 ----

  @Test
  void dialerTreatsAnAbsentResponseAsNoIdentity() throws Exception {
    Challenge challenge = dialer.createChallenge(RELAY);
    assertThat(dialer.verifyResponse(null, challenge)).isEqualTo(HandshakeIdentity.NONE);
    assertThat(dialer.verifyResponse("", challenge)).isEqualTo(HandshakeIdentity.NONE);
  }

  @Test
  void dialerRejectsAMalformedResponse() throws Exception {
    Challenge challenge = dialer.createChallenge(RELAY);
    String good = acceptor.verifyRequestAndAttachResponse(challenge.headerValue()).headerValue();
    byte[] full = Base64.getDecoder().decode(good);
    List<String> bad =
        List.of(
            "garbage!",
            encode(Arrays.copyOf(full, full.length - 1)),
            encode(HandMsgPack.concat(full, new byte[] {0})),
            challenge.headerValue(), // a challenge is not a response
            "A".repeat(2000));
    for (String header : bad) {
      assertThatThrownBy(() -> dialer.verifyResponse(header, challenge))
          .isInstanceOf(IdentityException.class)
          .hasMessageContaining("could not be decoded");
    }
  }

  @Test
  void dialerRejectsAResponseWithWrongFieldLengths() throws Exception {
    Challenge challenge = dialer.createChallenge(RELAY);
    byte[] body =
        HandMsgPack.start()
            .fixmap(3)
            .fixstr("c")
            .bin8(challenge.challenge())
            .fixstr("pk")
            .bin8(acceptorKeys.publicKey())
            .fixstr("rc")
            .bin8(filled(31, 4))
            .build();
    byte[] msg =
        HandMsgPack.start().fixmap(2).fixstr("icr").raw(body).fixstr("sig").bin8(filled(64, 1)).build();
    assertThatThrownBy(() -> dialer.verifyResponse(encode(msg), challenge))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("rc");
  }

  @Test
  void dialerRejectsAResponseThatDoesNotEchoItsChallenge() throws Exception {
    Challenge mine = dialer.createChallenge(RELAY);
    Challenge another = dialer.createChallenge(RELAY);
    String answerToAnother =
        acceptor.verifyRequestAndAttachResponse(another.headerValue()).headerValue();
    assertThatThrownBy(() -> dialer.verifyResponse(answerToAnother, mine))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("did not contain the challenge");
  }

  @Test
  void dialerRejectsAResponseSignedWrongly() throws Exception {
    Challenge challenge = dialer.createChallenge(RELAY);
    // claims the acceptor's key, signed by another key
    ResponseBody body = new ResponseBody(acceptorKeys.publicKey(), challenge.challenge(), filled(32, 3));
    String forged = encode(SignedResponse.sign(body, otherKeys).encode());
    assertThatThrownBy(() -> dialer.verifyResponse(forged, challenge))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("incorrectly signed");

    // a genuine response with a flipped signature bit
    String good = acceptor.verifyRequestAndAttachResponse(challenge.headerValue()).headerValue();
    SignedResponse decoded = SignedResponse.decode(Base64.getDecoder().decode(good));
    byte[] sig = decoded.signature();
    sig[10] ^= 1;
    String flipped = encode(new SignedResponse(decoded.body(), sig).encode());
    assertThatThrownBy(() -> dialer.verifyResponse(flipped, challenge))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("incorrectly signed");

    // a genuine response whose rc was swapped after signing
    ResponseBody swapped =
        new ResponseBody(decoded.body().publicKey(), decoded.body().challenge(), filled(32, 8));
    String tampered = encode(new SignedResponse(swapped, decoded.signature()).encode());
    assertThatThrownBy(() -> dialer.verifyResponse(tampered, challenge))
        .isInstanceOf(IdentityException.class);
  }

  // ---- message 3 ----

  @Test
  void verificationMessageIsTheSignedMsgpackPayload() throws Exception {
    byte[] rc = filled(32, 6);
    SignedVerification decoded = SignedVerification.decode(dialer.verificationMessage(rc));
    assertThat(decoded.body().responseChallenge()).isEqualTo(rc);
    assertThat(decoded.verify(dialer.publicKey())).isTrue();
    assertThatThrownBy(() -> dialer.verificationMessage(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptorRejectsAVerificationSigningAnotherChallenge() throws Exception {
    HandshakeIdentity.Pending pending = handshake();
    byte[] otherRc = pending.responseChallenge().clone();
    otherRc[0] ^= 1;
    byte[] ni = dialer.verificationMessage(otherRc);
    assertThatThrownBy(() -> acceptor.verifyVerificationMessage(ni, pending))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void acceptorRejectsAVerificationWithABadSignature() throws Exception {
    HandshakeIdentity.Pending pending = handshake();
    // signed by a key other than the one the dialer claimed
    byte[] byOther =
        SignedVerification.sign(new VerificationBody(pending.responseChallenge()), otherKeys).encode();
    assertThatThrownBy(() -> acceptor.verifyVerificationMessage(byOther, pending))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("incorrectly signed");

    // the right key, one bit flipped in the signature
    SignedVerification good = SignedVerification.decode(dialer.verificationMessage(pending.responseChallenge()));
    byte[] sig = good.signature();
    sig[63] ^= 0x01;
    byte[] flipped = new SignedVerification(good.body(), sig).encode();
    assertThatThrownBy(() -> acceptor.verifyVerificationMessage(flipped, pending))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("incorrectly signed");

    // a challenge signature replayed as a verification (wrong HashID)
    byte[] wrongDomain =
        dialerKeys.sign(HandMsgPack.concat(ascii("NIC"), new VerificationBody(pending.responseChallenge()).encode()));
    byte[] replay = new SignedVerification(new VerificationBody(pending.responseChallenge()), wrongDomain).encode();
    assertThatThrownBy(() -> acceptor.verifyVerificationMessage(replay, pending))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void acceptorRejectsAMalformedVerification() throws Exception {
    HandshakeIdentity.Pending pending = handshake();
    byte[] good = dialer.verificationMessage(pending.responseChallenge());
    List<byte[]> bad =
        List.of(
            new byte[0],
            new byte[] {(byte) 0x80}, // empty map: no rc, no signature
            Arrays.copyOf(good, good.length - 1),
            HandMsgPack.concat(good, new byte[] {0}),
            HandMsgPack.concat(new byte[] {'N', 'I'}, good), // tag left on
            filled(Ed25519IdentityChallengeScheme.MAX_VERIFICATION_LENGTH + 1, 0x80));
    for (byte[] payload : bad) {
      assertThatThrownBy(() -> acceptor.verifyVerificationMessage(payload, pending))
          .isInstanceOf(IdentityException.class);
    }
    assertThatThrownBy(() -> acceptor.verifyVerificationMessage(null, pending))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void corruptedHeadersNeverEscapeAsAnythingButIdentityException() throws Exception {
    java.util.Random random = new java.util.Random(7);
    Challenge challenge = dialer.createChallenge(RELAY);
    byte[] request = Base64.getDecoder().decode(challenge.headerValue());
    byte[] response =
        Base64.getDecoder()
            .decode(acceptor.verifyRequestAndAttachResponse(challenge.headerValue()).headerValue());
    for (int i = 0; i < 2_000; i++) {
      byte[] req = request.clone();
      req[random.nextInt(req.length)] ^= (byte) (1 + random.nextInt(255));
      byte[] resp = response.clone();
      resp[random.nextInt(resp.length)] ^= (byte) (1 + random.nextInt(255));
      try {
        ChallengeReply reply = acceptor.verifyRequestAndAttachResponse(encode(req));
        // any change breaks the decoding or the signature, so nothing may be answered
        assertThat(reply.identity()).isEqualTo(HandshakeIdentity.NONE);
      } catch (IdentityException expected) {
        // fine
      }
      try {
        dialer.verifyResponse(encode(resp), challenge);
        throw new AssertionError("a corrupted response was accepted");
      } catch (IdentityException expected) {
        // fine
      }
    }
  }

  private HandshakeIdentity.Pending handshake() throws IdentityException {
    ChallengeReply reply =
        acceptor.verifyRequestAndAttachResponse(dialer.createChallenge(RELAY).headerValue());
    return (HandshakeIdentity.Pending) reply.identity();
  }

  private static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] challengeBytes(byte[] pk, byte[] c, byte[] a, byte[] sig) {
    HandMsgPack body = HandMsgPack.start().fixmap(3).fixstr("a");
    if (a.length > 255) {
      body.bin16(a);
    } else {
      body.bin8(a);
    }
    body.fixstr("c").bin8(c).fixstr("pk").bin8(pk);
    return HandMsgPack.start()
        .fixmap(2)
        .fixstr("ic")
        .raw(body.build())
        .fixstr("sig")
        .bin8(sig)
        .build();
  }
}
