package io.gossipnet.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The msgpack codec: the writer picks the smallest header as Go's {@code msgp} does, the reader
 * reads what the writer writes and refuses every length over the caller's limit or the remaining
 * input before allocating.
 */
class MsgPackCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void writerUsesTheSmallestHeaderForEveryLength() {
    assertThat(hex(new MsgPackWriter().mapHeader(15))).isEqualTo("8f");
    assertThat(hex(new MsgPackWriter().mapHeader(16))).isEqualTo("de0010");
    assertThat(hex(new MsgPackWriter().mapHeader(0x10000))).isEqualTo("df00010000");
    assertThat(hex(new MsgPackWriter().arrayHeader(0))).isEqualTo("90");
    assertThat(hex(new MsgPackWriter().arrayHeader(16))).isEqualTo("dc0010");
    assertThat(hex(new MsgPackWriter().arrayHeader(0x10000))).isEqualTo("dd00010000");
    assertThat(hex(new MsgPackWriter().str("ab"))).isEqualTo("a26162");
    assertThat(hex(new MsgPackWriter().str("x".repeat(32)))).startsWith("d920");
    assertThat(hex(new MsgPackWriter().str("x".repeat(256)))).startsWith("da0100");
    assertThat(hex(new MsgPackWriter().str("x".repeat(0x10000)))).startsWith("db00010000");
    assertThat(hex(new MsgPackWriter().bin(new byte[3]))).isEqualTo("c403000000");
    assertThat(hex(new MsgPackWriter().bin(new byte[256]))).startsWith("c50100");
    assertThat(hex(new MsgPackWriter().bin(new byte[0x10000]))).startsWith("c600010000");
    assertThat(hex(new MsgPackWriter().nil())).isEqualTo("c0");
  }

  @Test
  void writerEncodesStringsAsUtf8() {
    assertThat(hex(new MsgPackWriter().str("é"))).isEqualTo("a2c3a9");
  }

  @Test
  void writerRefusesNegativeSizes() {
    assertThatThrownBy(() -> new MsgPackWriter().mapHeader(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MsgPackWriter().arrayHeader(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readerReadsWhatTheWriterWrites() throws MsgPackException {
    String longString = "v".repeat(300);
    byte[] encoded = new MsgPackWriter().mapHeader(2)
        .str("k").arrayHeader(2).str("a").str(longString)
        .str("bytes").bin(new byte[] {1, 2, 3})
        .nil()
        .toByteArray();
    MsgPackReader r = new MsgPackReader(encoded);
    assertThat(r.mapHeader(2)).isEqualTo(2);
    assertThat(r.key(8)).isEqualTo("k");
    assertThat(r.arrayHeader(2)).isEqualTo(2);
    assertThat(r.str(1)).isEqualTo("a");
    assertThat(r.str(300)).isEqualTo(longString);
    assertThat(r.str(5)).isEqualTo("bytes");
    assertThat(r.bin("b", 3, 3)).containsExactly(1, 2, 3);
    assertThat(r.tryNil()).isTrue();
    assertThat(r.tryNil()).isFalse();
    assertThat(r.remaining()).isZero();
    r.end();
  }

  @Test
  void readerHonoursAnOffsetAndLength() throws MsgPackException {
    byte[] buf = {(byte) 0xff, (byte) 0xa1, 'x', (byte) 0xff};
    MsgPackReader r = new MsgPackReader(buf, 1, 2);
    assertThat(r.str(1)).isEqualTo("x");
    r.end();
    assertThatThrownBy(() -> new MsgPackReader(buf, 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void tryNilConsumesNothingWhenTheNextValueIsNotNil() throws MsgPackException {
    MsgPackReader r = new MsgPackReader(new byte[] {(byte) 0x90});
    assertThat(r.tryNil()).isFalse();
    assertThat(r.arrayHeader(0)).isZero();
    assertThat(r.tryNil()).isFalse();
  }

  @Test
  void countsOverTheCallersLimitAreRefused() {
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("83a161c0a162c0a163c0")).mapHeader(2))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("map has 3 entries, at most 2");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("93c0c0c0")).arrayHeader(2))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("array has 3 elements, at most 2");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("a3616263")).str(2))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("too long");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("c403010203")).bin("f", 0, 2))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("field f has 3 bytes");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("c403010203")).bin("f", 4, 8))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("expected 4..8");
  }

  @Test
  void lengthsOverTheRemainingInputAreRefusedBeforeAllocating() {
    // Each declares 2 GiB - 1 while the caller's limit is generous: only the input can refuse it.
    int big = Integer.MAX_VALUE;
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("df7fffffff")).mapHeader(big))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("dd7fffffff")).arrayHeader(big))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("db7fffffff")).str(big))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("c67fffffff")).bin("f", 0, big))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("truncated");
    // A map of 2 entries needs at least 4 bytes after its header.
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("82a161c0")).mapHeader(2))
        .isInstanceOf(MsgPackException.class).hasMessageContaining("truncated");
  }

  @Test
  void wrongTypesAreRefusedWithTheTypeByte() {
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("01")).mapHeader(1)).hasMessageContaining("expected a map, got type 0x01");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("80")).arrayHeader(1)).hasMessageContaining("expected an array");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("c400")).str(1)).hasMessageContaining("expected a string");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("c400")).key(1)).hasMessageContaining("expected a string key");
    assertThatThrownBy(() -> new MsgPackReader(hexBytes("a0")).bin("f", 0, 1)).hasMessageContaining("field f: expected bytes");
  }

  @Test
  void emptyInputIsTruncatedAndTrailingBytesAreReported() throws MsgPackException {
    assertThatThrownBy(() -> new MsgPackReader(new byte[0]).mapHeader(1)).hasMessageContaining("truncated");
    MsgPackReader r = new MsgPackReader(hexBytes("80c0c0"));
    r.mapHeader(0);
    assertThatThrownBy(r::end).hasMessageContaining("2 trailing bytes");
  }

  @Test
  void everyFailureSaysWhatKindOfProblemItIs() {
    assertThat(kindOf(() -> new MsgPackReader(hexBytes("01")).mapHeader(1))).isEqualTo(MsgPackException.Kind.WRONG_TYPE);
    assertThat(kindOf(() -> new MsgPackReader(hexBytes("93c0c0c0")).arrayHeader(2))).isEqualTo(MsgPackException.Kind.OVER_LIMIT);
    assertThat(kindOf(() -> new MsgPackReader(hexBytes("a3616263")).str(2))).isEqualTo(MsgPackException.Kind.OVER_LIMIT);
    assertThat(kindOf(() -> new MsgPackReader(hexBytes("a3")).str(8))).isEqualTo(MsgPackException.Kind.TRUNCATED);
    assertThat(kindOf(() -> new MsgPackReader(hexBytes("dc00")).arrayHeader(8))).isEqualTo(MsgPackException.Kind.TRUNCATED);
    assertThat(kindOf(() -> new MsgPackReader(hexBytes("c0")).end())).isEqualTo(MsgPackException.Kind.TRAILING_BYTES);
    assertThat(new MsgPackException("duplicate key").kind()).isEqualTo(MsgPackException.Kind.INVALID);
  }

  private interface Read {
    void run() throws MsgPackException;
  }

  private static MsgPackException.Kind kindOf(Read read) {
    try {
      read.run();
    } catch (MsgPackException e) {
      return e.kind();
    }
    throw new AssertionError("no MsgPackException");
  }

  @Test
  void randomInputOnlyEverFailsWithMsgPackException() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] in = new byte[random.nextInt(64)];
      random.nextBytes(in);
      MsgPackReader r = new MsgPackReader(in);
      try {
        // A fixed sequence of reads, as a decoder would make them.
        int n = r.mapHeader(64);
        for (int e = 0; e < n; e++) {
          r.key(64);
          if (!r.tryNil()) {
            int m = r.arrayHeader(16);
            for (int v = 0; v < m; v++) {
              r.str(1024);
            }
          }
        }
        r.bin("x", 0, 1024);
        r.end();
      } catch (MsgPackException expected) {
        // fine
      } catch (RuntimeException e) {
        throw new AssertionError("unexpected exception for input " + HEX.formatHex(in), e);
      }
    }
  }

  private static String hex(MsgPackWriter w) {
    return HEX.formatHex(w.toByteArray());
  }

  private static byte[] hexBytes(String hex) {
    return HEX.parseHex(hex);
  }
}
