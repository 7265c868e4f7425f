package io.gossipnet.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The KV wire format: writes round-trip, and hostile input is refused without throwing or allocating. */
class KvCodecTest {
  private static final KvWrite SAMPLE =
      new KvWrite("colour", "blue".getBytes(StandardCharsets.UTF_8), new Version(1_767_225_600_000L, "node-1"));

  private static KvCodec.Decoded.Malformed malformed(byte[] message) {
    KvCodec.Decoded d = KvCodec.decode(message);
    assertThat(d).isInstanceOf(KvCodec.Decoded.Malformed.class);
    return (KvCodec.Decoded.Malformed) d;
  }

  /** A header as the format lays it out, with any lengths, followed by {@code rest}. */
  private static byte[] message(int keyLength, byte[] key, long ts, int nodeLength, byte[] node, int valueLength, byte[] value) {
    ByteBuffer b = ByteBuffer.allocate(1 + 2 + key.length + 8 + 1 + node.length + 4 + value.length);
    b.put(KvCodec.FORMAT).putShort((short) keyLength).put(key).putLong(ts).put((byte) nodeLength).put(node)
        .putInt(valueLength).put(value);
    return b.array();
  }

  @Test
  void aWriteDecodesToTheSameWrite() {
    byte[] wire = KvCodec.encode(SAMPLE);
    assertThat(wire).hasSize(1 + 2 + 6 + 8 + 1 + 6 + 4 + 4);
    assertThat(KvCodec.decode(wire)).isEqualTo(new KvCodec.Decoded.Ok(SAMPLE));
  }

  @Test
  void writesAtTheLimitsAndWithUnicodeKeysAndBinaryValuesRoundTrip() {
    byte[] binary = new byte[KvStore.MAX_VALUE_BYTES];
    new Random(1).nextBytes(binary);
    for (KvWrite w : new KvWrite[] {
        new KvWrite("k".repeat(KvStore.MAX_KEY_BYTES), binary, new Version(Version.MAX_TIMESTAMP, "n".repeat(64))),
        new KvWrite("ключ/😀", new byte[0], new Version(0, "x")),
    }) {
      byte[] wire = KvCodec.encode(w);
      assertThat(wire.length).isLessThanOrEqualTo(KvCodec.MAX_ENCODED_BYTES);
      assertThat(KvCodec.decode(wire)).isEqualTo(new KvCodec.Decoded.Ok(w));
    }
    assertThat(KvCodec.MAX_ENCODED_BYTES).isLessThanOrEqualTo(KvModule.KV.maxPayloadSize());
  }

  @Test
  void theEncoderRefusesWritesOverTheLimits() {
    assertThatThrownBy(() -> KvCodec.encode(new KvWrite("k".repeat(257), new byte[0], new Version(1, "n"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvCodec.encode(new KvWrite("k", new byte[KvStore.MAX_VALUE_BYTES + 1], new Version(1, "n"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTruncationOfAWriteIsMalformed() {
    byte[] wire = KvCodec.encode(SAMPLE);
    for (int n = 0; n < wire.length; n++) {
      assertThat(malformed(Arrays.copyOf(wire, n)).reason()).as("first %d bytes", n).isNotBlank();
    }
  }

  @Test
  void bytesAfterTheValueAreMalformed() {
    byte[] wire = KvCodec.encode(SAMPLE);
    assertThat(malformed(Arrays.copyOf(wire, wire.length + 1)).reason()).contains("after the value");
  }

  @Test
  void lengthsOverTheLimitsOrPastTheMessageAreMalformed() {
    byte[] k = "k".getBytes(StandardCharsets.US_ASCII);
    byte[] n = "n".getBytes(StandardCharsets.US_ASCII);
    assertThat(malformed(message(0, new byte[0], 1, 1, n, 0, new byte[0])).reason()).contains("key length 0");
    assertThat(malformed(message(0xffff, k, 1, 1, n, 0, new byte[0])).reason()).contains("key length 65535");
    assertThat(malformed(message(257, k, 1, 1, n, 0, new byte[0])).reason()).contains("key length 257");
    assertThat(malformed(message(200, k, 1, 1, n, 0, new byte[0])).reason()).contains("truncated");
    assertThat(malformed(message(1, k, 1, 0, new byte[0], 0, new byte[0])).reason()).contains("node ID length 0");
    assertThat(malformed(message(1, k, 1, 200, n, 0, new byte[0])).reason()).contains("node ID length 200");
    assertThat(malformed(message(1, k, 1, 1, n, -1, new byte[0])).reason()).contains("value length -1");
    assertThat(malformed(message(1, k, 1, 1, n, Integer.MAX_VALUE, new byte[0])).reason()).contains("value length 2147483647");
    assertThat(malformed(message(1, k, 1, 1, n, KvStore.MAX_VALUE_BYTES + 1, new byte[0])).reason()).contains("value length 16385");
    assertThat(malformed(message(1, k, 1, 1, n, 10, new byte[3])).reason()).contains("truncated value");
  }

  @Test
  void aMessageClaimingAHugeValueIsRefusedWithoutAllocatingIt() {
    byte[] hostile = message(1, new byte[] {'k'}, 1, 1, new byte[] {'n'}, Integer.MAX_VALUE, new byte[0]);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    KvCodec.decode(hostile); // warm up
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100; i++) {
      KvCodec.decode(hostile);
    }
    long perDecode = (threads.getThreadAllocatedBytes(tid) - before) / 100;
    assertThat(perDecode).as("bytes allocated per decode").isLessThan(4096);
  }

  @Test
  void fieldsThatBreakTheFormatsRulesAreMalformed() {
    byte[] k = "k".getBytes(StandardCharsets.US_ASCII);
    byte[] n = "n".getBytes(StandardCharsets.US_ASCII);
    byte[] wire = KvCodec.encode(SAMPLE);
    wire[0] = 2;
    assertThat(malformed(wire).reason()).contains("format 2");
    assertThat(malformed(message(2, new byte[] {(byte) 0xc3, 0x28}, 1, 1, n, 0, new byte[0])).reason()).contains("not UTF-8");
    assertThat(malformed(message(1, new byte[] {'\n'}, 1, 1, n, 0, new byte[0])).reason()).contains("control character");
    assertThat(malformed(message(1, k, -1, 1, n, 0, new byte[0])).reason()).contains("timestamp");
    assertThat(malformed(message(1, k, Long.MAX_VALUE, 1, n, 0, new byte[0])).reason()).contains("timestamp");
    assertThat(malformed(message(1, k, 1, 1, new byte[] {' '}, 0, new byte[0])).reason()).contains("node ID");
    assertThat(malformed(message(1, k, 1, 1, new byte[] {(byte) 0xe9}, 0, new byte[0])).reason()).contains("node ID");
    assertThat(malformed(null).reason()).isNotBlank();
    assertThat(malformed(new byte[KvCodec.MAX_ENCODED_BYTES + 1]).reason()).contains("over");
  }

  @Test
  void randomGarbageNeverMakesTheDecoderThrow() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      if (garbage.length > 0 && random.nextBoolean()) {
        garbage[0] = KvCodec.FORMAT;
      }
      assertThat(KvCodec.decode(garbage)).isNotNull();
    }
  }

  @Test
  void aCorruptedWriteIsMalformedOrAnotherWellFormedWriteThatEncodesBackToTheSameBytes() {
    Random random = new Random(11);
    byte[] wire = KvCodec.encode(SAMPLE);
    for (int i = 0; i < 20_000; i++) {
      byte[] corrupt = wire.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 << random.nextInt(8));
      }
      if (KvCodec.decode(corrupt) instanceof KvCodec.Decoded.Ok ok) {
        assertThat(KvCodec.encode(ok.write())).isEqualTo(corrupt);
      }
    }
  }
}
