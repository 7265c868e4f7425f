package io.gossipnet.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Ed25519} is RFC 8032 Ed25519, interchangeable with the JDK's provider. */
class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void reproducesTheRfc8032TestVectors() {
    // RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte)
    assertVector("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
            + "d25bf5f0595bbe24655141438e7a100b");
    assertVector("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
            + "387b2eaeb4302aeeb00d291612bb0c00");
  }

  @Test
  void signaturesAreInterchangeableWithTheJdkProvider() throws Exception {
    SplittableRandom random = new SplittableRandom(25);
    for (int i = 0; i < 20; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] message = new byte[random.nextInt(0, 2048)];
      random.nextBytes(message);
      byte[] pub = Ed25519.publicKey(seed);

      byte[] ours = Ed25519.sign(seed, message);
      byte[] jdk = jdkSign(seed, message);
      assertThat(ours).isEqualTo(jdk);
      assertThat(jdkVerify(pub, message, ours)).isTrue();
      assertThat(Ed25519.verify(pub, message, jdk)).isTrue();
    }
  }

  @Test
  void rejectsTamperedMessagesSignaturesAndKeysWithoutThrowing() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    byte[] pub = Ed25519.publicKey(seed);
    byte[] message = "gossip".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] sig = Ed25519.sign(seed, message);

    byte[] otherMessage = message.clone();
    otherMessage[0] ^= 1;
    byte[] flippedSig = sig.clone();
    flippedSig[10] ^= 1;
    byte[] otherKey = Ed25519.publicKey(new byte[32]);
    byte[] nonCanonicalS = sig.clone();
    nonCanonicalS[63] = (byte) 0xff; // S ≥ L: malleable form, refused by RFC 8032

    assertThat(Ed25519.verify(pub, message, sig)).isTrue();
    assertThat(Ed25519.verify(pub, otherMessage, sig)).isFalse();
    assertThat(Ed25519.verify(pub, message, flippedSig)).isFalse();
    assertThat(Ed25519.verify(otherKey, message, sig)).isFalse();
    assertThat(Ed25519.verify(pub, message, nonCanonicalS)).isFalse();
    assertThat(Ed25519.verify(pub, message, Arrays.copyOf(sig, 63))).isFalse();
    assertThat(Ed25519.verify(Arrays.copyOf(pub, 31), message, sig)).isFalse();
    assertThat(Ed25519.verify(new byte[32], message, sig)).isFalse();
    assertThatThrownBy(() -> Ed25519.sign(new byte[31], message)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void privateAndPublicKeysSignAndVerifyThroughIt() {
    PrivateKey key = PrivateKey.generate();
    byte[] message = new byte[1024];
    byte[] sig = key.sign(message);
    assertThat(Ed25519.verify(key.publicKey().data(), message, sig)).isTrue();
    assertThat(key.publicKey().verify(message, sig)).isTrue();
  }

  private static void assertVector(String seedHex, String pubHex, String msgHex, String sigHex) {
    byte[] seed = HEX.parseHex(seedHex);
    byte[] message = HEX.parseHex(msgHex);
    assertThat(HEX.formatHex(Ed25519.publicKey(seed))).isEqualTo(pubHex);
    assertThat(HEX.formatHex(Ed25519.sign(seed, message))).isEqualTo(sigHex);
    assertThat(Ed25519.verify(HEX.parseHex(pubHex), message, HEX.parseHex(sigHex))).isTrue();
  }

  private static byte[] jdkSign(byte[] seed, byte[] message) throws GeneralSecurityException {
    byte[] pkcs8 = concat(HEX.parseHex("302e020100300506032b657004220420"), seed);
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    s.update(message);
    return s.sign();
  }

  private static boolean jdkVerify(byte[] pub, byte[] message, byte[] sig) throws GeneralSecurityException {
    byte[] x509 = concat(HEX.parseHex("302a300506032b6570032100"), pub);
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509)));
    s.update(message);
    return s.verify(sig);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
