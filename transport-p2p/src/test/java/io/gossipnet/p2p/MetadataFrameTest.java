package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.DisconnectReason;
import io.gossipnet.core.codec.MsgPackWriter;
import io.gossipnet.p2p.MetadataException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The V22 start-of-stream metadata frame: the seed's encoding, and every way a frame can be bad. */
class MetadataFrameTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void headerNamesAreTheCanonicalFormsOfTheSeedsHeaderNames() {
    assertThat(MetadataFrame.canonicalName("X-Algorand-TelId")).isEqualTo(MetadataFrame.TELEMETRY_ID);
    assertThat(MetadataFrame.canonicalName("X-Algorand-InstanceName")).isEqualTo(MetadataFrame.INSTANCE_NAME);
    assertThat(MetadataFrame.canonicalName("X-Algorand-Genesis")).isEqualTo(MetadataFrame.GENESIS);
    assertThat(MetadataFrame.canonicalName("X-Algorand-Peer-Features")).isEqualTo(MetadataFrame.PEER_FEATURES);
    assertThat(MetadataFrame.canonicalName("X-Algorand-Version")).isEqualTo(MetadataFrame.VERSION);
    assertThat(MetadataFrame.canonicalName("x-algorand-accept-version")).isEqualTo(MetadataFrame.ACCEPT_VERSION);
  }

  @Test
  void canonicalNameLeavesANameWithANonTokenCharacterUnchanged() {
    assertThat(MetadataFrame.canonicalName("bad name")).isEqualTo("bad name");
    assertThat(MetadataFrame.canonicalName("a:b")).isEqualTo("a:b");
  }

  @Test
  void encodesA2ByteBigEndianLengthThenAMsgpackMapOfStringArrays() throws Exception {
    byte[] frame = MetadataFrame.of(Map.of("A", List.of("b", "cd"))).encode();
    // 81 map(1), a1 41 "A", 92 array(2), a1 62 "b", a2 63 64 "cd": 9 bytes
    assertThat(HEX.formatHex(frame)).isEqualTo("0009" + "81a14192a162a26364");
  }

  @Test
  void encodesNamesInByteOrderAsGosSortedKeys() throws Exception {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("b", List.of());
    h.put("B", List.of());
    h.put("a", List.of());
    byte[] frame = MetadataFrame.of(h).encode();
    assertThat(HEX.formatHex(frame)).isEqualTo("000a" + "83" + "a14290" + "a16190" + "a16290");
  }

  @Test
  void forNodeBuildsWhatTheSeedsSetHeadersSendsOverP2P() throws Exception {
    MetadataFrame f = MetadataFrame.forNode("tel", "inst", "testnet-v1.0", List.of("ppzstd", "avvpack"), "2.2",
        List.of("2.2", "2.1"));
    assertThat(f.headers()).containsOnlyKeys(MetadataFrame.TELEMETRY_ID, MetadataFrame.INSTANCE_NAME,
        MetadataFrame.GENESIS, MetadataFrame.PEER_FEATURES, MetadataFrame.VERSION, MetadataFrame.ACCEPT_VERSION);
    assertThat(f.values(MetadataFrame.ACCEPT_VERSION)).containsExactly("2.2", "2.1");
    assertThat(f.first(MetadataFrame.PEER_FEATURES)).isEqualTo("ppzstd,avvpack");
    MetadataFrame back = MetadataFrame.decode(f.encode());
    assertThat(back).isEqualTo(f);
    assertThat(back.telemetryId()).isEqualTo("tel");
    assertThat(back.instanceName()).isEqualTo("inst");
    assertThat(back.genesisId()).isEqualTo("testnet-v1.0");
    assertThat(back.version()).isEqualTo("2.2");
    assertThat(back.acceptVersions()).containsExactly("2.2", "2.1");
    assertThat(back.features()).containsExactly("ppzstd", "avvpack");
  }

  @Test
  void forNodeOmitsAnEmptyVersion() {
    MetadataFrame f = MetadataFrame.forNode("", "", "g", List.of("ppzstd"), "", List.of("2.2"));
    assertThat(f.headers()).doesNotContainKey(MetadataFrame.VERSION);
    assertThat(f.version()).isEmpty();
  }

  @Test
  void lookupsAreExactAsInGoAfterCanonicalisingTheQuery() throws Exception {
    MetadataFrame f = MetadataFrame.decode(
        MetadataFrame.of(Map.of("x-algorand-telid", List.of("lower"))).encode());
    assertThat(f.telemetryId()).isEmpty();
    assertThat(f.values(MetadataFrame.TELEMETRY_ID)).isEmpty();
    assertThat(f.first("x-algorand-telid")).isEqualTo("lower");
  }

  @Test
  void featuresAreSplitTrimmedSanitizedAndCapped() {
    StringBuilder many = new StringBuilder("a, b ,,c\u0001d");
    for (int i = 0; i < 20; i++) {
      many.append(",f").append(i);
    }
    MetadataFrame f = MetadataFrame.of(Map.of(MetadataFrame.PEER_FEATURES, List.of(many.toString())));
    assertThat(f.features()).hasSize(16).startsWith("a", "b", "c\u25afd");
    assertThat(MetadataFrame.of(Map.of()).features()).isEmpty();
  }

  @Test
  void loggedValuesAreSanitized() {
    MetadataFrame f = MetadataFrame.of(Map.of(MetadataFrame.INSTANCE_NAME, List.of("x\ny" + "z".repeat(300))));
    assertThat(f.instanceName()).startsWith("x\u25afyz").endsWith("...").hasSize(259);
    assertThat(f.toString()).doesNotContain("\n");
  }

  @Test
  void nilMapAndNilValueListsDecodeAsEmpty() throws Exception {
    assertThat(MetadataFrame.decode(HEX.parseHex("0001c0")).headers()).isEmpty();
    MetadataFrame f = MetadataFrame.decode(HEX.parseHex("0004" + "81a141c0"));
    assertThat(f.headers()).containsEntry("A", List.of());
  }

  @Test
  void aDeclaredLengthLongerThanTheBytesThatFollowIsALengthMismatch() throws Exception {
    byte[] good = MetadataFrame.of(Map.of("A", List.of("b"))).encode();
    byte[] shortFrame = java.util.Arrays.copyOf(good, good.length - 1);
    assertReason(() -> MetadataFrame.decode(shortFrame), Reason.LENGTH_MISMATCH, "declares");
  }

  @Test
  void bytesAfterTheDeclaredLengthAreALengthMismatch() throws Exception {
    byte[] good = MetadataFrame.of(Map.of("A", List.of("b"))).encode();
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
    assertReason(() -> MetadataFrame.decode(longer), Reason.LENGTH_MISMATCH, "declares");
  }

  @Test
  void aDeclaredLengthShorterThanTheMsgpackContentIsALengthMismatch() {
    // content 81 a1 41 91 a1 62 (6 bytes) declared as 5: the map runs past the declared end.
    assertReason(() -> MetadataFrame.decodeContent(HEX.parseHex("81a14191a162"), 0, 5),
        Reason.LENGTH_MISMATCH, "truncated");
    assertReason(() -> MetadataFrame.read(new ByteArrayInputStream(HEX.parseHex("0005" + "81a14191a162"))),
        Reason.LENGTH_MISMATCH, "truncated");
  }

  @Test
  void aDeclaredLengthLongerThanTheMsgpackContentIsALengthMismatch() {
    // A 1-entry map of 4 bytes declared as 5: one byte is left over after the map.
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0005" + "81a14190" + "00")),
        Reason.LENGTH_MISMATCH, "trailing");
  }

  @Test
  void moreThan64NamesAreRefusedFromTheMapHeader() {
    // The header alone claims 65 entries; nothing after it needs to be there.
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0003" + "de0041")), Reason.TOO_MANY_KEYS, "65");
    MsgPackWriter w = new MsgPackWriter().mapHeader(65);
    for (int i = 0; i < 65; i++) {
      w.str("k" + i).arrayHeader(0);
    }
    assertReason(() -> MetadataFrame.decode(frame(w.toByteArray())), Reason.TOO_MANY_KEYS, "at most 64");
  }

  @Test
  void exactly64NamesAnd16ValuesAreAccepted() throws Exception {
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (int i = 0; i < 64; i++) {
      h.put("k" + i, java.util.Collections.nCopies(16, "v"));
    }
    MetadataFrame f = MetadataFrame.of(h);
    assertThat(MetadataFrame.decode(f.encode())).isEqualTo(f);
  }

  @Test
  void moreThan16ValuesForANameAreRefusedFromTheArrayHeader() {
    MsgPackWriter w = new MsgPackWriter().mapHeader(1).str("A").arrayHeader(17);
    for (int i = 0; i < 17; i++) {
      w.str("v");
    }
    assertReason(() -> MetadataFrame.decode(frame(w.toByteArray())), Reason.TOO_MANY_VALUES, "17");
    // array32 claiming 4 billion values: refused on the header, nothing allocated for it
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0008" + "81a141ddffffffff")), Reason.TOO_MANY_VALUES, "");
  }

  @Test
  void localFramesOverTheLimitsAreRefusedWhenBuilt() {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (int i = 0; i < 65; i++) {
      keys.put("k" + i, List.of());
    }
    assertThatThrownBy(() -> MetadataFrame.of(keys)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65");
    assertThatThrownBy(() -> MetadataFrame.of(Map.of("A", java.util.Collections.nCopies(17, "v"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17 values");
  }

  @Test
  void aFrameOver64KiBCannotBeEncoded() {
    MetadataFrame huge = MetadataFrame.of(Map.of("A", List.of("x".repeat(70_000))));
    assertReason(huge::encode, Reason.TOO_LARGE, "at most 65535");
    MetadataFrame justFits = MetadataFrame.of(Map.of("A", List.of("x".repeat(0xffff - 10))));
    assertThat(catching(justFits::encode)).isNull();
  }

  @Test
  void aNameTwiceIsMalformed() {
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0007" + "82a14190a14190")), Reason.MALFORMED, "twice");
  }

  @Test
  void otherTypesAreMalformed() {
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0001" + "90")), Reason.MALFORMED, "expected a map");
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0003" + "810190")), Reason.MALFORMED, "expected a string");
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0004" + "81a14101")), Reason.MALFORMED, "expected an array");
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0006" + "81a14191c400")), Reason.MALFORMED, "expected a string");
  }

  @Test
  void anEmptyFrameIsShorterThanAnyMapAndSoALengthMismatch() {
    assertReason(() -> MetadataFrame.decode(HEX.parseHex("0000")), Reason.LENGTH_MISMATCH, "truncated");
  }

  @Test
  void aStreamThatEndsInsideTheFrameIsTruncated() throws Exception {
    byte[] good = MetadataFrame.of(Map.of("A", List.of("b"))).encode();
    for (int n = 0; n < good.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(good, n);
      assertReason(() -> MetadataFrame.read(new ByteArrayInputStream(cut)), Reason.TRUNCATED, "stream ended");
    }
    assertReason(() -> MetadataFrame.decode(new byte[1]), Reason.TRUNCATED, "no length");
  }

  @Test
  void readConsumesExactlyOneFrame() throws Exception {
    MetadataFrame f = MetadataFrame.of(Map.of("A", List.of("b")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.write(out);
    out.write(new byte[] {0, 0, 0, 3, 'x'});
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertThat(MetadataFrame.read(in)).isEqualTo(f);
    assertThat(in.readAllBytes()).containsExactly(0, 0, 0, 3, 'x');
  }

  @Test
  void reasonsMapToCoreDisconnectReasons() {
    assertThat(new MetadataException(Reason.TRUNCATED, "x").disconnectReason()).isEqualTo(DisconnectReason.READ_ERROR);
    for (Reason r : Reason.values()) {
      if (r != Reason.TRUNCATED) {
        assertThat(new MetadataException(r, "x").disconnectReason()).isEqualTo(DisconnectReason.BAD_DATA);
      }
    }
    assertThat(new MetadataException(Reason.TOO_MANY_KEYS, "65 keys").getMessage()).isEqualTo("TOO_MANY_KEYS: 65 keys");
  }

  static byte[] frame(byte[] content) {
    byte[] f = new byte[content.length + 2];
    f[0] = (byte) (content.length >>> 8);
    f[1] = (byte) content.length;
    System.arraycopy(content, 0, f, 2, content.length);
    return f;
  }

  interface Action {
    Object run() throws Exception;
  }

  static Throwable catching(Action a) {
    try {
      a.run();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  static void assertReason(Action a, Reason reason, String messagePart) {
    Throwable t = catching(a);
    assertThat(t).isInstanceOf(MetadataException.class).hasMessageContaining(messagePart);
    assertThat(((MetadataException) t).reason()).isEqualTo(reason);
  }
}
