package io.gossipnet.core.identity;

import static io.gossipnet.core.identity.HandMsgPack.ascii;
import static io.gossipnet.core.identity.HandMsgPack.concat;
import static io.gossipnet.core.identity.HandMsgPack.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.codec.MsgPackException;
import io.gossipnet.core.identity.IdentityMessages.ChallengeBody;
import io.gossipnet.core.identity.IdentityMessages.ResponseBody;
import io.gossipnet.core.identity.IdentityMessages.SignedChallenge;
import io.gossipnet.core.identity.IdentityMessages.SignedResponse;
import io.gossipnet.core.identity.IdentityMessages.SignedVerification;
import io.gossipnet.core.identity.IdentityMessages.VerificationBody;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityMessagesTest {
  private static final IdentityKeys KEYS = IdentityKeys.fromSeed(filled(32, 7));
  private static final byte[] PK = KEYS.publicKey();
  private static final byte[] C = filled(32, 0x11);
  private static final byte[] RC = filled(32, 0x22);
  private static final byte[] SIG = filled(64, 0x33);

  // ---- golden encodings, built by hand from the msgpack spec ----

  @Test
  void challengeEncodesAsAMapWithSortedKeysAndBinValues() {
    byte[] address = ascii("relay-1.example.net:4160");
    byte[] body =
        HandMsgPack.start()
            .fixmap(3)
            .fixstr("a")
            .bin8(address)
            .fixstr("c")
            .bin8(C)
            .fixstr("pk")
            .bin8(PK)
            .build();
    byte[] signed =
        HandMsgPack.start().fixmap(2).fixstr("ic").raw(body).fixstr("sig").bin8(SIG).build();

    ChallengeBody challenge = new ChallengeBody(PK, C, address);
    assertThat(challenge.encode()).isEqualTo(body);
    assertThat(challenge.signedBytes()).isEqualTo(concat(ascii("NIC"), body));
    assertThat(new SignedChallenge(challenge, SIG).encode()).isEqualTo(signed);
    // spot-check the first bytes literally: fixmap(2), fixstr(2) "ic", fixmap(3), fixstr(1) "a"
    assertThat(signed).startsWith(0x82, 0xa2, 'i', 'c', 0x83, 0xa1, 'a', 0xc4, address.length);
  }

  @Test
  void addressLongerThan255BytesUsesBin16() {
    byte[] address = filled(288, 'x');
    byte[] body =
        HandMsgPack.start()
            .fixmap(3)
            .fixstr("a")
            .bin16(address)
            .fixstr("c")
            .bin8(C)
            .fixstr("pk")
            .bin8(PK)
            .build();
    assertThat(new ChallengeBody(PK, C, address).encode()).isEqualTo(body);
    assertThat(body).startsWith(0x83, 0xa1, 'a', 0xc5, 0x01, 0x20);
  }

  @Test
  void emptyAddressIsOmittedFromTheChallenge() {
    byte[] body =
        HandMsgPack.start().fixmap(2).fixstr("c").bin8(C).fixstr("pk").bin8(PK).build();
    assertThat(new ChallengeBody(PK, C, new byte[0]).encode()).isEqualTo(body);
  }

  @Test
  void responseEncodesAsAMapWithSortedKeysAndBinValues() {
    byte[] body =
        HandMsgPack.start()
            .fixmap(3)
            .fixstr("c")
            .bin8(C)
            .fixstr("pk")
            .bin8(PK)
            .fixstr("rc")
            .bin8(RC)
            .build();
    byte[] signed =
        HandMsgPack.start().fixmap(2).fixstr("icr").raw(body).fixstr("sig").bin8(SIG).build();
    ResponseBody response = new ResponseBody(PK, C, RC);
    assertThat(response.encode()).isEqualTo(body);
    assertThat(response.signedBytes()).isEqualTo(concat(ascii("NIR"), body));
    assertThat(new SignedResponse(response, SIG).encode()).isEqualTo(signed);
  }

  @Test
  void verificationEncodesAsAMapWithSortedKeysAndBinValues() {
    byte[] body = HandMsgPack.start().fixmap(1).fixstr("rc").bin8(RC).build();
    byte[] signed =
        HandMsgPack.start().fixmap(2).fixstr("ivm").raw(body).fixstr("sig").bin8(SIG).build();
    VerificationBody verification = new VerificationBody(RC);
    assertThat(verification.encode()).isEqualTo(body);
    assertThat(verification.signedBytes()).isEqualTo(concat(ascii("NIV"), body));
    assertThat(new SignedVerification(verification, SIG).encode()).isEqualTo(signed);
    assertThat(signed).hasSize(113);
  }

  @Test
  void zeroValuedFieldsAreOmittedAsInTheSeed() {
    assertThat(new VerificationBody(new byte[32]).encode()).containsExactly(0x80);
    assertThat(new SignedVerification(new VerificationBody(new byte[32]), new byte[64]).encode())
        .containsExactly(0x80);
    assertThat(new ResponseBody(new byte[32], C, new byte[32]).encode())
        .isEqualTo(HandMsgPack.start().fixmap(1).fixstr("c").bin8(C).build());
  }

  @Test
  void signaturesCoverTheHashIdAndTheCanonicalBody() {
    byte[] address = ascii("a.example:1");
    SignedChallenge signed = SignedChallenge.sign(new ChallengeBody(PK, C, address), KEYS);
    byte[] expectedSignedBytes =
        concat(
            ascii("NIC"),
            HandMsgPack.start()
                .fixmap(3)
                .fixstr("a")
                .bin8(address)
                .fixstr("c")
                .bin8(C)
                .fixstr("pk")
                .bin8(PK)
                .build());
    assertThat(IdentityKeys.verify(PK, expectedSignedBytes, signed.signature())).isTrue();
    assertThat(signed.verify()).isTrue();
  }

  // ---- decoding ----

  @Test
  void decodingRoundTripsEveryMessage() throws Exception {
    SignedChallenge ch = SignedChallenge.sign(new ChallengeBody(PK, C, ascii("x:1")), KEYS);
    SignedChallenge ch2 = SignedChallenge.decode(ch.encode());
    assertThat(ch2.body().publicKey()).isEqualTo(PK);
    assertThat(ch2.body().challenge()).isEqualTo(C);
    assertThat(ch2.body().address()).isEqualTo(ascii("x:1"));
    assertThat(ch2.verify()).isTrue();

    SignedResponse r = SignedResponse.sign(new ResponseBody(PK, C, RC), KEYS);
    SignedResponse r2 = SignedResponse.decode(r.encode());
    assertThat(r2.body().responseChallenge()).isEqualTo(RC);
    assertThat(r2.verify()).isTrue();

    SignedVerification v = SignedVerification.sign(new VerificationBody(RC), KEYS);
    SignedVerification v2 = SignedVerification.decode(v.encode());
    assertThat(v2.body().responseChallenge()).isEqualTo(RC);
    assertThat(v2.verify(PK)).isTrue();
  }

  @Test
  void decodingAcceptsKeysInAnyOrderAndWiderHeaders() throws Exception {
    // map16 header, keys out of order, bin16 for a short value: valid msgpack, not canonical
    byte[] body =
        HandMsgPack.start()
            .bytes(0xde, 0x00, 0x03)
            .fixstr("pk")
            .bin8(PK)
            .fixstr("c")
            .bin16(C)
            .bytes(0xd9, 1, 'a')
            .bin8(ascii("x:1"))
            .build();
    byte[] msg = HandMsgPack.start().fixmap(2).fixstr("sig").bin8(SIG).fixstr("ic").raw(body).build();
    SignedChallenge decoded = SignedChallenge.decode(msg);
    assertThat(decoded.body().challenge()).isEqualTo(C);
    assertThat(decoded.body().address()).isEqualTo(ascii("x:1"));
    assertThat(decoded.signature()).isEqualTo(SIG);
  }

  @Test
  void absentFieldsDecodeAsZeroValues() throws Exception {
    SignedVerification v = SignedVerification.decode(new byte[] {(byte) 0x80});
    assertThat(v.body().responseChallenge()).isEqualTo(new byte[32]);
    assertThat(v.signature()).isEqualTo(new byte[64]);
    assertThat(v.verify(PK)).isFalse();
  }

  @Test
  void everyTruncationOfAValidMessageIsRejected() {
    byte[] valid = SignedChallenge.sign(new ChallengeBody(PK, C, ascii("x:1")), KEYS).encode();
    for (int len = 0; len < valid.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(valid, len);
      assertThatThrownBy(() -> SignedChallenge.decode(cut))
          .as("prefix of %d bytes", len)
          .isInstanceOf(MsgPackException.class);
    }
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] valid = SignedVerification.sign(new VerificationBody(RC), KEYS).encode();
    assertThatThrownBy(() -> SignedVerification.decode(concat(valid, new byte[] {0})))
        .isInstanceOf(MsgPackException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void wrongFieldLengthsAreRejected() {
    assertThatThrownBy(() -> SignedChallenge.decode(challenge(filled(31, 1), C, ascii("a"), SIG)))
        .hasMessageContaining("pk");
    assertThatThrownBy(() -> SignedChallenge.decode(challenge(filled(33, 1), C, ascii("a"), SIG)))
        .hasMessageContaining("pk");
    assertThatThrownBy(() -> SignedChallenge.decode(challenge(PK, filled(31, 1), ascii("a"), SIG)))
        .hasMessageContaining("field c");
    assertThatThrownBy(() -> SignedChallenge.decode(challenge(PK, C, filled(289, 'a'), SIG)))
        .hasMessageContaining("field a");
    assertThatThrownBy(() -> SignedChallenge.decode(challenge(PK, C, ascii("a"), filled(63, 1))))
        .hasMessageContaining("sig");
    assertThatThrownBy(() -> SignedChallenge.decode(challenge(PK, C, ascii("a"), filled(65, 1))))
        .hasMessageContaining("sig");
    byte[] shortRc =
        HandMsgPack.start()
            .fixmap(1)
            .fixstr("ivm")
            .fixmap(1)
            .fixstr("rc")
            .bin8(filled(16, 1))
            .build();
    assertThatThrownBy(() -> SignedVerification.decode(shortRc)).hasMessageContaining("rc");
    assertThatCode(() -> SignedChallenge.decode(challenge(PK, C, filled(288, 'a'), SIG)))
        .doesNotThrowAnyException();
  }

  @Test
  void duplicateKeysAreRejected() {
    byte[] dupSig =
        HandMsgPack.start().fixmap(2).fixstr("sig").bin8(SIG).fixstr("sig").bin8(SIG).build();
    assertThatThrownBy(() -> SignedChallenge.decode(dupSig)).hasMessageContaining("duplicate");
    byte[] dupC =
        HandMsgPack.start()
            .fixmap(1)
            .fixstr("icr")
            .fixmap(2)
            .fixstr("c")
            .bin8(C)
            .fixstr("c")
            .bin8(C)
            .build();
    assertThatThrownBy(() -> SignedResponse.decode(dupC)).hasMessageContaining("duplicate");
  }

  @Test
  void unknownKeysAndUnexpectedTypesAreRejected() {
    byte[] unknown = HandMsgPack.start().fixmap(1).fixstr("xyz").bin8(SIG).build();
    assertThatThrownBy(() -> SignedChallenge.decode(unknown)).hasMessageContaining("unknown key");
    // a response body in a challenge message
    byte[] wrongBody = HandMsgPack.start().fixmap(1).fixstr("icr").fixmap(0).build();
    assertThatThrownBy(() -> SignedChallenge.decode(wrongBody)).hasMessageContaining("unknown");
    // value as str instead of bin
    byte[] strValue =
        HandMsgPack.start().fixmap(1).fixstr("sig").raw(new byte[] {(byte) 0xd9, 64}).raw(SIG).build();
    assertThatThrownBy(() -> SignedChallenge.decode(strValue)).hasMessageContaining("expected bytes");
    // array, nil, integer and binary key where a map or a key belongs
    for (byte[] bad :
        new byte[][] {
          {(byte) 0x92, (byte) 0xc0, (byte) 0xc0},
          {(byte) 0xc0},
          {0x01},
          {(byte) 0x81, (byte) 0xc4, 3, 's', 'i', 'g'},
          {}
        }) {
      assertThatThrownBy(() -> SignedVerification.decode(bad)).isInstanceOf(MsgPackException.class);
    }
  }

  @Test
  void hugeDeclaredLengthsAreRejectedBeforeAllocating() {
    // map32 with 4 billion entries, bin32 of 2 GiB, str32 key of 4 GiB
    byte[] hugeMap = {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    byte[] hugeBin =
        HandMsgPack.start().fixmap(1).fixstr("sig").bytes(0xc6, 0x7f, 0xff, 0xff, 0xff).build();
    byte[] hugeKey = HandMsgPack.start().fixmap(1).bytes(0xdb, 0xff, 0xff, 0xff, 0xff).build();
    byte[] hugeAddress =
        HandMsgPack.start()
            .fixmap(1)
            .fixstr("ic")
            .fixmap(1)
            .fixstr("a")
            .bytes(0xc6, 0x00, 0x10, 0x00, 0x00)
            .build();
    assertThatThrownBy(() -> SignedChallenge.decode(hugeMap)).hasMessageContaining("entries");
    assertThatThrownBy(() -> SignedChallenge.decode(hugeBin)).hasMessageContaining("sig");
    assertThatThrownBy(() -> SignedChallenge.decode(hugeKey)).hasMessageContaining("too long");
    assertThatThrownBy(() -> SignedChallenge.decode(hugeAddress)).hasMessageContaining("field a");
  }

  @Test
  void deeplyNestedInputIsRejectedWithoutRecursion() {
    byte[] nested = new byte[100_000];
    for (int i = 0; i < nested.length; i += 4) {
      nested[i] = (byte) 0x81;
      nested[i + 1] = (byte) 0xa2;
      nested[i + 2] = 'i';
      nested[i + 3] = 'c';
    }
    assertThatThrownBy(() -> SignedChallenge.decode(nested)).isInstanceOf(MsgPackException.class);
  }

  @Test
  void randomAndMutatedInputOnlyEverFailsWithMsgPackException() {
    Random random = new Random(42);
    byte[][] seeds = {
      SignedChallenge.sign(new ChallengeBody(PK, C, ascii("x:1")), KEYS).encode(),
      SignedResponse.sign(new ResponseBody(PK, C, RC), KEYS).encode(),
      SignedVerification.sign(new VerificationBody(RC), KEYS).encode()
    };
    for (int i = 0; i < 20_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[random.nextInt(200)];
        random.nextBytes(input);
      } else {
        input = seeds[random.nextInt(seeds.length)].clone();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips; f++) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      byte[] in = input;
      for (Decoder d :
          new Decoder[] {SignedChallenge::decode, SignedResponse::decode, SignedVerification::decode}) {
        try {
          d.decode(in);
        } catch (MsgPackException expected) {
          // fine
        } catch (RuntimeException e) {
          throw new AssertionError("unexpected exception for input " + java.util.HexFormat.of().formatHex(in), e);
        }
      }
    }
  }

  private interface Decoder {
    Object decode(byte[] bytes) throws MsgPackException;
  }

  private static byte[] challenge(byte[] pk, byte[] c, byte[] a, byte[] sig) {
    HandMsgPack body = HandMsgPack.start().fixmap(3).fixstr("a");
    if (a.length > 255) {
      body.bin16(a);
    } else {
      body.bin8(a);
    }
    body.fixstr("c").bin8(c).fixstr("pk").bin8(pk);
    return HandMsgPack.start().fixmap(2).fixstr("ic").raw(body.build()).fixstr("sig").bin8(sig).build();
  }
}
