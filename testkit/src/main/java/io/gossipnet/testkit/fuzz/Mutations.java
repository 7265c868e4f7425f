package io.gossipnet.testkit.fuzz;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Near-valid inputs for decoders: a valid encoding with a few of the changes that find parser bugs
 * (a flipped bit, a byte set to a boundary value, a length field blown up, a cut, an insertion, a
 * repeated or deleted span), and plain random bytes. A decoder fed only random bytes rarely gets
 * past its first check; mutations of valid encodings reach the deep branches.
 */
public final class Mutations {
  private static final byte[] BOUNDARY = {0, 1, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};
  /** Byte runs that read as large lengths in the common encodings (varint, big-endian, msgpack). */
  private static final List<byte[]> LARGE_LENGTHS = List.of(
      new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
      new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01},
      new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
      new byte[] {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
      new byte[] {(byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
      new byte[] {(byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});

  private Mutations() {}

  /** Random byte arrays of 0 to {@code maxLength} bytes. */
  public static Arbitrary<byte[]> randomBytes(int maxLength) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
  }

  /**
   * Valid encodings from {@code valid}, each changed by one to three mutations, mixed with
   * unchanged ones (one in ten) and random bytes of up to {@code maxRandom} bytes (one in ten).
   */
  public static Arbitrary<byte[]> of(Arbitrary<byte[]> valid, int maxRandom) {
    Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().between(1, 3), Arbitraries.randomValue(r -> r.nextLong()))
        .as((bytes, n, seed) -> {
          java.util.Random r = new java.util.Random(seed);
          byte[] b = bytes;
          for (int i = 0; i < n; i++) {
            b = mutateOnce(b, r);
          }
          return b;
        });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, mutated),
        net.jqwik.api.Tuple.of(1, valid),
        net.jqwik.api.Tuple.of(1, randomBytes(maxRandom)));
  }

  /** {@link #of(Arbitrary, int)} around fixed valid encodings. */
  public static Arbitrary<byte[]> of(List<byte[]> valid, int maxRandom) {
    return of(Arbitraries.of(valid).map(byte[]::clone), maxRandom);
  }

  /** One mutation of {@code in} (a new array; {@code in} is not changed). */
  static byte[] mutateOnce(byte[] in, java.util.Random r) {
    if (in.length == 0) {
      return new byte[] {BOUNDARY[r.nextInt(BOUNDARY.length)]};
    }
    int at = r.nextInt(in.length);
    switch (r.nextInt(8)) {
      case 0 -> {
        byte[] b = in.clone();
        b[at] ^= (byte) (1 << r.nextInt(8));
        return b;
      }
      case 1 -> {
        byte[] b = in.clone();
        b[at] = BOUNDARY[r.nextInt(BOUNDARY.length)];
        return b;
      }
      case 2 -> {
        byte[] run = LARGE_LENGTHS.get(r.nextInt(LARGE_LENGTHS.size()));
        byte[] b = in.clone();
        System.arraycopy(run, 0, b, at, Math.min(run.length, b.length - at));
        return b;
      }
      case 3 -> {
        return Arrays.copyOf(in, at);
      }
      case 4 -> {
        byte[] extra = new byte[1 + r.nextInt(8)];
        r.nextBytes(extra);
        return splice(in, at, at, extra);
      }
      case 5 -> {
        int end = Math.min(in.length, at + 1 + r.nextInt(16));
        return splice(in, at, end, new byte[0]);
      }
      case 6 -> {
        int end = Math.min(in.length, at + 1 + r.nextInt(16));
        return splice(in, end, end, Arrays.copyOfRange(in, at, end));
      }
      default -> {
        byte[] b = in.clone();
        b[at] = (byte) r.nextInt(256);
        return b;
      }
    }
  }

  private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
    byte[] out = new byte[in.length - (to - from) + insert.length];
    System.arraycopy(in, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(in, to, out, from + insert.length, in.length - to);
    return out;
  }
}
