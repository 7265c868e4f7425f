package io.gossipnet.libp2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.libp2p.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageIdFunctionTest {
  private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

  @Test
  void sha256OfDataIsTheJsNoSignDefault() {
    assertThat(HexFormat.of().formatHex(MessageIdFunction.SHA256_DATA.messageId(null, null, null, ABC)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void blake2b256OfDataIsGoAlgorandsId() {
    assertThat(HexFormat.of().formatHex(MessageIdFunction.BLAKE2B_256_DATA.messageId(null, null, null, ABC)))
        .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  }

  @Test
  void fromSeqnoIsTheAuthorsProtobufKeyThenTheSeqnoLikeJs() {
    PrivateKey k = PrivateKey.fromSeed(HexFormat.of().parseHex(
        "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));
    byte[] seqno = {0, 0, 0, 0, 0, 0, 0, 42};
    byte[] withKey = MessageIdFunction.FROM_SEQNO.messageId(k.peerId().toBytes(), k.publicKey().toProtobuf(), seqno, ABC);
    byte[] fromOnly = MessageIdFunction.FROM_SEQNO.messageId(k.peerId().toBytes(), null, seqno, ABC);
    assertThat(withKey).hasSize(44).isEqualTo(fromOnly);
    assertThat(HexFormat.of().formatHex(withKey)).startsWith("08011220").endsWith("000000000000002a");
  }
}
