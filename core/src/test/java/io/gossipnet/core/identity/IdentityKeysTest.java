package io.gossipnet.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityKeysTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void fromSeedReproducesTheRfc8032TestVector() {
    // RFC 8032 section 7.1, TEST 1 (empty message)
    IdentityKeys keys =
        IdentityKeys.fromSeed(
            HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(HEX.formatHex(keys.publicKey()))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] sig = keys.sign(new byte[0]);
    assertThat(HEX.formatHex(sig))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(IdentityKeys.verify(keys.publicKey(), new byte[0], sig)).isTrue();
  }

  @Test
  void generatedKeysSignAndVerify() {
    IdentityKeys keys = IdentityKeys.generate();
    byte[] msg = {1, 2, 3};
    byte[] sig = keys.sign(msg);
    assertThat(keys.publicKey()).hasSize(32);
    assertThat(sig).hasSize(64);
    assertThat(IdentityKeys.verify(keys.publicKey(), msg, sig)).isTrue();
    assertThat(IdentityKeys.verify(keys.publicKey(), new byte[] {1, 2, 4}, sig)).isFalse();
    assertThat(IdentityKeys.verify(IdentityKeys.generate().publicKey(), msg, sig)).isFalse();
    assertThat(IdentityKeys.generate().publicKey()).isNotEqualTo(keys.publicKey());
  }

  @Test
  void fromKeyPairWrapsAJdkKeyPair() throws Exception {
    var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    IdentityKeys keys = IdentityKeys.fromKeyPair(pair);
    byte[] encoded = pair.getPublic().getEncoded();
    assertThat(keys.publicKey())
        .isEqualTo(java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    var other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThatThrownBy(
            () -> IdentityKeys.fromKeyPair(new java.security.KeyPair(other.getPublic(), pair.getPrivate())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signaturesAreByteForByteThoseOfTheJdkProvider() throws Exception {
    for (int i = 0; i < 10; i++) {
      var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      IdentityKeys keys = IdentityKeys.fromKeyPair(pair);
      byte[] msg = new byte[100 * i];
      java.util.Arrays.fill(msg, (byte) i);
      java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
      jdk.initSign(pair.getPrivate());
      jdk.update(msg);
      byte[] jdkSig = jdk.sign();
      assertThat(keys.sign(msg)).isEqualTo(jdkSig);
      jdk.initVerify(pair.getPublic());
      jdk.update(msg);
      assertThat(jdk.verify(keys.sign(msg))).isTrue();
      assertThat(IdentityKeys.verify(keys.publicKey(), msg, jdkSig)).isTrue();
    }
  }

  @Test
  void publicKeyIsACopy() {
    IdentityKeys keys = IdentityKeys.generate();
    keys.publicKey()[0] ^= 1;
    byte[] msg = {9};
    assertThat(IdentityKeys.verify(keys.publicKey(), msg, keys.sign(msg))).isTrue();
  }

  @Test
  void seedMustBe32Bytes() {
    assertThatThrownBy(() -> IdentityKeys.fromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verifyReturnsFalseForMalformedInputInsteadOfThrowing() {
    IdentityKeys keys = IdentityKeys.generate();
    byte[] msg = {1};
    byte[] sig = keys.sign(msg);
    assertThat(IdentityKeys.verify(null, msg, sig)).isFalse();
    assertThat(IdentityKeys.verify(keys.publicKey(), null, sig)).isFalse();
    assertThat(IdentityKeys.verify(keys.publicKey(), msg, null)).isFalse();
    assertThat(IdentityKeys.verify(new byte[31], msg, sig)).isFalse();
    assertThat(IdentityKeys.verify(keys.publicKey(), msg, new byte[63])).isFalse();
    // y >= p with no valid point, and an all-ones signature
    byte[] notAPoint = HandMsgPack.filled(32, 0xff);
    assertThat(IdentityKeys.verify(notAPoint, msg, sig)).isFalse();
    assertThat(IdentityKeys.verify(keys.publicKey(), msg, HandMsgPack.filled(64, 0xff))).isFalse();
  }

  @Test
  void smallOrderPublicKeyCannotForgeASignature() {
    // With the identity point as public key, R = identity and S = 0 satisfy [S]B = R + [k]A for
    // every message under plain RFC 8032 verification; libsodium (and so the seed) refuses it.
    byte[] identityPoint = SmallOrder.ENCODINGS[1];
    byte[] forged = new byte[64];
    System.arraycopy(identityPoint, 0, forged, 0, 32);
    assertThat(IdentityKeys.verify(identityPoint, new byte[] {1, 2, 3}, forged)).isFalse();
  }

  @Test
  void smallOrderListHoldsExactlyTheEightTorsionPoints() {
    BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    BigInteger d =
        BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
    Set<String> points = new HashSet<>();
    for (byte[] enc : SmallOrder.ENCODINGS) {
      byte[] be = new byte[32];
      for (int i = 0; i < 32; i++) {
        be[i] = enc[31 - i];
      }
      be[0] &= 0x7f;
      BigInteger y = new BigInteger(1, be).mod(p);
      // x^2 = (y^2 - 1) / (d y^2 + 1)
      BigInteger y2 = y.multiply(y).mod(p);
      BigInteger x2 =
          y2.subtract(BigInteger.ONE).multiply(d.multiply(y2).add(BigInteger.ONE).modInverse(p)).mod(p);
      for (BigInteger x : sqrts(x2, p)) {
        BigInteger[] point = {x, y};
        BigInteger[] q = point;
        for (int i = 0; i < 3; i++) {
          q = add(q, q, p, d);
        }
        assertThat(q[0]).as("8P.x for y=%s", y).isEqualTo(BigInteger.ZERO);
        assertThat(q[1]).as("8P.y for y=%s", y).isEqualTo(BigInteger.ONE);
        points.add(x + "," + y);
      }
    }
    // the torsion subgroup of edwards25519 has order 8, so this list covers all of it
    assertThat(points).hasSize(8);
    for (byte[] enc : SmallOrder.ENCODINGS) {
      assertThat(SmallOrder.isSmallOrder(enc, 0)).isTrue();
      byte[] signBit = enc.clone();
      signBit[31] |= (byte) 0x80;
      assertThat(SmallOrder.isSmallOrder(signBit, 0)).isTrue();
    }
    assertThat(SmallOrder.isSmallOrder(IdentityKeys.generate().publicKey(), 0)).isFalse();
  }

  private static BigInteger[] add(BigInteger[] a, BigInteger[] b, BigInteger p, BigInteger d) {
    // twisted Edwards addition with a = -1
    BigInteger x1y2 = a[0].multiply(b[1]);
    BigInteger y1x2 = a[1].multiply(b[0]);
    BigInteger y1y2 = a[1].multiply(b[1]);
    BigInteger x1x2 = a[0].multiply(b[0]);
    BigInteger t = d.multiply(x1x2).multiply(y1y2).mod(p);
    BigInteger x3 = x1y2.add(y1x2).multiply(BigInteger.ONE.add(t).modInverse(p)).mod(p);
    BigInteger y3 = y1y2.add(x1x2).multiply(BigInteger.ONE.subtract(t).mod(p).modInverse(p)).mod(p);
    return new BigInteger[] {x3, y3};
  }

  private static Set<BigInteger> sqrts(BigInteger a, BigInteger p) {
    Set<BigInteger> roots = new HashSet<>();
    if (a.signum() == 0) {
      roots.add(BigInteger.ZERO);
      return roots;
    }
    // p = 5 mod 8: candidate a^((p+3)/8), times sqrt(-1) if needed
    BigInteger r = a.modPow(p.add(BigInteger.valueOf(3)).shiftRight(3), p);
    if (!r.multiply(r).mod(p).equals(a)) {
      BigInteger i = BigInteger.TWO.modPow(p.subtract(BigInteger.ONE).shiftRight(2), p);
      r = r.multiply(i).mod(p);
    }
    assertThat(r.multiply(r).mod(p)).isEqualTo(a);
    roots.add(r);
    roots.add(p.subtract(r));
    return roots;
  }
}
