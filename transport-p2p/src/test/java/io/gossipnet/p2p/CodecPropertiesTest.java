package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.core.codec.MsgPackWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of the two stream codecs over many generated inputs (seeded, so a failure repeats):
 * what is written reads back the same; random, truncated, mutated or oversized input fails only
 * with the codec's own exception and never allocates anywhere near what a hostile length declares.
 *
 * <p>These are plain JUnit loops over a seeded generator, written before the build had jqwik; the
 * jqwik properties of the same codecs, with mutations of valid encodings and the long profile's
 * million cases, are {@link P2PFramesFuzzTest} and {@link MetadataFrameFuzzTest}.
 */
class CodecPropertiesTest {
  private static final int RUNS = 2_000;
  /** Generous bound for decoding one small hostile input; far below the 64 KiB and 6 MiB limits. */
  private static final long SMALL_INPUT_ALLOCATION = 48 * 1024;

  private final SplittableRandom random = new SplittableRandom(20261207);

  @Test
  void everyMetadataFrameWithinTheLimitsReadsBackEqual() throws IOException {
    for (int run = 0; run < RUNS; run++) {
      MetadataFrame f = MetadataFrame.of(randomHeaders(4_000));
      byte[] encoded = f.encode();
      assertThat(MetadataFrame.decode(encoded)).isEqualTo(f);
      assertThat(MetadataFrame.read(new ByteArrayInputStream(encoded))).isEqualTo(f);
      assertThat(MetadataFrame.decode(MetadataFrame.decode(encoded).encode()).encode()).isEqualTo(encoded);
    }
  }

  @Test
  void hostileMetadataFailsOnlyWithMetadataExceptionAndAllocatesLittle() throws IOException {
    byte[] seed = MetadataFrame.forNode("tel", "inst", "testnet-v1.0", List.of("ppzstd"), "2.2", List.of("2.2"))
        .encode();
    for (int run = 0; run < RUNS * 10; run++) {
      boolean measured = run >= RUNS * 5; // the first half loads classes and links call sites
      byte[] input = switch (run % 5) {
        case 0 -> randomBytes(300);
        case 1 -> Arrays.copyOf(seed, random.nextInt(seed.length)); // truncated
        case 2 -> mutate(seed);
        case 3 -> withDeclaredLength(randomBytes(300)); // a consistent prefix before random msgpack
        default -> hugeCounts();
      };
      for (Decode d : new Decode[] {
          () -> MetadataFrame.decode(input), () -> MetadataFrame.read(new ByteArrayInputStream(input))}) {
        long before = Allocation.ofCurrentThread();
        try {
          d.run();
        } catch (MetadataException expected) {
          // the only failure allowed
        } catch (IOException | RuntimeException e) {
          throw new AssertionError("unexpected " + e + " for " + HexFormat.of().formatHex(input), e);
        }
        long allocated = Allocation.ofCurrentThread() - before;
        if (measured) {
          assertThat(allocated).as("bytes allocated for %s", HexFormat.of().formatHex(input))
              .isLessThan(SMALL_INPUT_ALLOCATION);
        }
      }
    }
  }

  @Test
  void everyMessageFrameReadsBackEqual() throws IOException {
    List<byte[]> messages = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      int size = random.nextInt(10) == 0 ? 2 + random.nextInt(200_000) : 2 + random.nextInt(300);
      messages.add(randomBytesOfSize(size));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageFrames.writeAll(out, messages);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    for (byte[] m : messages) {
      assertThat(MessageFrames.readMessage(in)).isEqualTo(m);
    }
    assertThat(MessageFrames.readMessage(in)).isNull();
  }

  @Test
  void hostileMessageFramesFailOnlyWithFrameExceptionAndAllocateLittle() throws IOException {
    byte[] seed = MessageFrames.encode(new byte[] {'T', 'X', 1, 2, 3, 4, 5, 6, 7, 8});
    for (int run = 0; run < RUNS * 8; run++) {
      boolean measured = run >= RUNS * 4; // the first half loads classes and links call sites
      byte[] input = switch (run % 4) {
        case 0 -> randomBytes(300);
        case 1 -> Arrays.copyOf(seed, 1 + random.nextInt(seed.length - 1)); // truncated, never empty
        case 2 -> mutate(seed);
        default -> declaredLength(random.nextLong(1L << 32), randomBytes(300)); // up to 4 GiB declared
      };
      long before = Allocation.ofCurrentThread();
      try {
        MessageFrames.readMessage(new ByteArrayInputStream(input));
      } catch (FrameException expected) {
        // the only failure allowed
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("unexpected " + e + " for " + HexFormat.of().formatHex(input), e);
      }
      long allocated = Allocation.ofCurrentThread() - before;
      // At most one exact buffer of 64 KiB (a declared length under it), never the declared 6 MiB.
      if (measured) {
        assertThat(allocated).as("bytes allocated for %s", HexFormat.of().formatHex(input))
            .isLessThan(MessageFrames.EXACT_ALLOCATION_LIMIT + SMALL_INPUT_ALLOCATION);
      }
    }
  }

  private interface Decode {
    Object run() throws IOException;
  }

  private Map<String, List<String>> randomHeaders(int maxBytes) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    int keys = random.nextInt(MetadataFrame.MAX_KEYS + 1);
    int budget = maxBytes;
    for (int k = 0; k < keys && budget > 0; k++) {
      int n = random.nextInt(MetadataFrame.MAX_VALUES + 1);
      List<String> values = new ArrayList<>(n);
      for (int v = 0; v < n; v++) {
        String s = randomString(random.nextInt(40));
        values.add(s);
        budget -= s.length() * 3;
      }
      h.put(randomString(1 + random.nextInt(30)), values);
    }
    return h;
  }

  /** Printable ASCII mostly, some Latin-1 and other BMP letters (never surrogates). */
  private String randomString(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      b.append((char) (kind < 8 ? 0x20 + random.nextInt(0x5f) : kind == 8 ? 0xa0 + random.nextInt(0x60)
          : 0x3b1 + random.nextInt(0x18)));
    }
    return b.toString();
  }

  private byte[] randomBytes(int maxLength) {
    return randomBytesOfSize(random.nextInt(maxLength + 1));
  }

  private byte[] randomBytesOfSize(int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  private byte[] mutate(byte[] seed) {
    byte[] b = seed.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      b[random.nextInt(b.length)] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static byte[] withDeclaredLength(byte[] content) {
    return MetadataFrameTest.frame(content);
  }

  /** A map or array header claiming up to 4 billion elements, with a little after it. */
  private byte[] hugeCounts() {
    MsgPackWriter w = new MsgPackWriter();
    if (random.nextBoolean()) {
      w.raw(new byte[] {(byte) (random.nextBoolean() ? 0xde : 0xdf)});
    } else {
      w.mapHeader(1).str("A").raw(new byte[] {(byte) (random.nextBoolean() ? 0xdc : 0xdd)});
    }
    w.raw(randomBytesOfSize(4 + random.nextInt(20)));
    return MetadataFrameTest.frame(w.toByteArray());
  }

  private static byte[] declaredLength(long length, byte[] rest) {
    byte[] b = new byte[4 + rest.length];
    b[0] = (byte) (length >>> 24);
    b[1] = (byte) (length >>> 16);
    b[2] = (byte) (length >>> 8);
    b[3] = (byte) length;
    System.arraycopy(rest, 0, b, 4, rest.length);
    return b;
  }
}
