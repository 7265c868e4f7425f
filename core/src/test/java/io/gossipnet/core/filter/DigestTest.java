package io.gossipnet.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.Tags;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigestTest {
  private static byte[] sha512_256(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-512/256");
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, pos, p.length);
      pos += p.length;
    }
    return md.digest(all);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void digestOfEqualsOneShotHashOfTagAndData() throws Exception {
    byte[] data = new byte[6000];
    new Random(1).nextBytes(data);
    assertThat(Digest.of(Tags.PP, data).toBytes()).isEqualTo(sha512_256(bytes("PP"), data));
    assertThat(Digest.of(Tags.TX, new byte[0]).toBytes()).isEqualTo(sha512_256(bytes("TX")));
  }

  @Test
  void theDigestOfAFrameEqualsTheDigestOfItsTagAndPayload() {
    byte[] data = new byte[6000];
    new Random(3).nextBytes(data);
    byte[] frame = new byte[data.length + 2];
    frame[0] = Tags.TX.firstByte();
    frame[1] = Tags.TX.secondByte();
    System.arraycopy(data, 0, frame, 2, data.length);
    assertThat(Digest.ofFrame(frame)).isEqualTo(Digest.of(Tags.TX, data));
    assertThatThrownBy(() -> Digest.ofFrame(new byte[1])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void saltedDigestEqualsOneShotHashOfNonceTagAndData() throws Exception {
    byte[] nonce = new byte[16];
    new Random(2).nextBytes(nonce);
    byte[] data = bytes("hello");
    assertThat(Digest.salted(nonce, Tags.AV, data).toBytes())
        .isEqualTo(sha512_256(nonce, bytes("AV"), data));
  }

  @Test
  void aDifferentNonceGivesADifferentDigest() {
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    b[15] = 1;
    byte[] data = bytes("vote");
    assertThat(Digest.salted(a, Tags.AV, data)).isEqualTo(Digest.salted(a.clone(), Tags.AV, data));
    assertThat(Digest.salted(a, Tags.AV, data)).isNotEqualTo(Digest.salted(b, Tags.AV, data));
    assertThat(Digest.salted(a, Tags.AV, data)).isNotEqualTo(Digest.of(Tags.AV, data));
  }

  @Test
  void theTagIsPartOfTheDigest() {
    byte[] data = bytes("same payload");
    assertThat(Digest.of(Tags.AV, data)).isNotEqualTo(Digest.of(Tags.TX, data));
  }

  @Test
  void bytesRoundTripAndValueSemantics() {
    byte[] raw = new byte[32];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * 7 + 3);
    }
    Digest d = Digest.fromBytes(raw);
    assertThat(d.toBytes()).isEqualTo(raw);
    assertThat(d).isEqualTo(Digest.fromBytes(raw.clone())).hasSameHashCodeAs(Digest.fromBytes(raw));
    assertThat(d.toString()).hasSize(64).startsWith("030a11");

    byte[] framed = new byte[40];
    System.arraycopy(raw, 0, framed, 5, 32);
    assertThat(Digest.fromBytes(framed, 5)).isEqualTo(d);
  }

  @Test
  void aDigestMustBeThirtyTwoBytes() {
    assertThatThrownBy(() -> Digest.fromBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.fromBytes(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.fromBytes(new byte[40], 9))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aFailedCallDoesNotCorruptTheNextDigest() throws Exception {
    assertThatThrownBy(() -> Digest.salted(new byte[16], null, new byte[1]))
        .isInstanceOf(NullPointerException.class);
    assertThat(Digest.of(Tags.TX, bytes("x")).toBytes()).isEqualTo(sha512_256(bytes("TXx")));
    assertThat(Arrays.equals(Digest.of(Tags.TX, bytes("x")).toBytes(), new byte[32])).isFalse();
  }
}
