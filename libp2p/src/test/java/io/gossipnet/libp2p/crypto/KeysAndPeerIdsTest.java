package io.gossipnet.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.Test;

class KeysAndPeerIdsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SEED = HEX.parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");

  @Test
  void ed25519SeedGivesTheSamePublicKeyAndPeerIdAsJsLibp2p() {
    PrivateKey key = PrivateKey.fromSeed(SEED);
    assertThat(HEX.formatHex(key.publicKey().data())).startsWith("79b5562e").endsWith("9664");
    assertThat(key.peerId().toBase58()).isEqualTo("12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf");
    assertThat(key.peerId().toCidBase36()).isEqualTo("k51qzi5uqu5dj7skeind43o1an76ns1q5g2bupqw6o1hmcccenbkvalzo2olt0");
  }

  @Test
  void peerIdParsesFromBase58Base32AndBase36Forms() {
    PeerId id = PrivateKey.fromSeed(SEED).peerId();
    assertThat(PeerId.fromString(id.toBase58())).isEqualTo(id);
    assertThat(PeerId.fromString(id.toCidBase32())).isEqualTo(id);
    assertThat(id.toCidBase32()).startsWith("bafzaa");
    assertThat(PeerId.fromString(id.toCidBase36())).isEqualTo(id);
    assertThat(id.publicKey()).contains(PrivateKey.fromSeed(SEED).publicKey());
  }

  @Test
  void privateKeyProtobufRoundTripsInJsFormat() {
    PrivateKey key = PrivateKey.fromSeed(SEED);
    byte[] pb = key.toProtobuf();
    assertThat(HEX.formatHex(pb)).startsWith("08011240");
    assertThat(PrivateKey.fromProtobuf(pb).peerId()).isEqualTo(key.peerId());
  }

  @Test
  void ed25519SignaturesVerifyAndTamperedOnesDoNot() {
    PrivateKey key = PrivateKey.generate();
    byte[] msg = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = key.sign(msg);
    assertThat(key.publicKey().verify(msg, sig)).isTrue();
    sig[0] ^= 1;
    assertThat(key.publicKey().verify(msg, sig)).isFalse();
  }

  @Test
  void ecdsaAndRsaKeysVerifyThroughTheJdkAndLongKeysUseSha256PeerIds() throws Exception {
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ecKp = ec.generateKeyPair();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(ecKp.getPrivate());
    s.update(msg);
    PublicKey ecdsa = new PublicKey(KeyType.ECDSA, ecKp.getPublic().getEncoded());
    assertThat(ecdsa.verify(msg, s.sign())).isTrue();
    assertThat(ecdsa.toPeerId().toBytes()[0]).isEqualTo((byte) 0x12);

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsaKp = rsa.generateKeyPair();
    Signature r = Signature.getInstance("SHA256withRSA");
    r.initSign(rsaKp.getPrivate());
    r.update(msg);
    PublicKey rsaKey = new PublicKey(KeyType.RSA, rsaKp.getPublic().getEncoded());
    assertThat(rsaKey.verify(msg, r.sign())).isTrue();
    assertThat(PublicKey.fromProtobuf(rsaKey.toProtobuf())).isEqualTo(rsaKey);
    assertThat(rsaKey.toPeerId().toBase58()).startsWith("Qm");
  }

  @Test
  void secp256k1KeysVerifyThroughBouncyCastle() {
    X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
    ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    BigInteger d = new BigInteger(1, SEED);
    byte[] pub = curve.getG().multiply(d).normalize().getEncoded(true);
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    SHA256Digest digest = new SHA256Digest();
    digest.update(msg, 0, msg.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, domain));
    BigInteger[] rs = signer.generateSignature(hash);
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(rs[0]));
    v.add(new ASN1Integer(rs[1]));
    byte[] der;
    try {
      der = new DERSequence(v).getEncoded();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    PublicKey key = new PublicKey(KeyType.SECP256K1, pub);
    assertThat(key.verify(msg, der)).isTrue();
    assertThat(key.verify("other".getBytes(StandardCharsets.UTF_8), der)).isFalse();
  }

  @Test
  void malformedKeysAndPeerIdsAreRefusedWithAReason() {
    assertThatThrownBy(() -> PublicKey.fromProtobuf(HEX.parseHex("0801")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PublicKey.fromProtobuf(HEX.parseHex("080912020000")))
        .hasMessageContaining("unknown libp2p key type 9");
    assertThatThrownBy(() -> PeerId.fromBytes(HEX.parseHex("1305aabbccddee")))
        .hasMessageContaining("multihash");
    assertThatThrownBy(() -> PeerId.fromString("12D3KooW0OIl")).hasMessageContaining("base58");
    assertThat(new PublicKey(KeyType.ED25519, new byte[32]).verify(new byte[1], new byte[3])).isFalse();
  }
}
