package io.gossipnet.testkit.fuzz;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Runs a decoder on one fuzz input and checks the rules every decoder in gossipnet keeps: it either
 * returns a value or throws one of the exception types it declares for bad input (any other
 * throwable, an {@code IndexOutOfBoundsException}, a {@code NegativeArraySizeException}, an {@code
 * OutOfMemoryError}, fails the case), and the bytes it allocates stay within the limit given,
 * measured with the JVM's per-thread allocation counter, so a length field cannot make it reserve
 * memory the input does not back. A decoding over the limit is measured a second time before the
 * case fails, so the one-time cost of loading classes on the first decoding of a kind is not
 * charged to the decoder; decoders must therefore be pure (the same input, the same work).
 */
public final class Decoding {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Decoding() {}

  /** A decoder of one input. */
  @FunctionalInterface
  public interface Decoder<T> {
    /** Decodes {@code input}, or throws. */
    T decode(byte[] input) throws Exception;
  }

  /** What a decoder made of one input. */
  public enum Outcome {
    /** The decoder returned a value. */
    ACCEPTED,
    /** The decoder refused the input with one of its declared exceptions. */
    REFUSED
  }

  /**
   * Decodes {@code input} and checks the rules.
   *
   * @param maxAllocatedBytes the most the decoder may allocate for this input
   * @param refusals the exception types the decoder declares for bad input (subclasses count)
   * @return whether the input was accepted or refused
   * @throws AssertionError naming the input (hex) when another throwable escaped or the decoder
   *     allocated more than {@code maxAllocatedBytes}
   */
  @SafeVarargs
  public static <T> Outcome check(byte[] input, long maxAllocatedBytes, Decoder<T> decoder, Class<? extends Throwable>... refusals) {
    Outcome first = measure(input, maxAllocatedBytes, decoder, refusals, false);
    if (first != null) {
      return first;
    }
    // Over the limit: the first decoding of a kind may load classes or link call sites, which the
    // counter charges to this thread. A decoder is pure, so a second run measures only itself.
    return measure(input, maxAllocatedBytes, decoder, refusals, true);
  }

  /** One measured decoding; null when it went over the limit and {@code fail} is false. */
  private static <T> Outcome measure(
      byte[] input, long maxAllocatedBytes, Decoder<T> decoder, Class<? extends Throwable>[] refusals, boolean fail) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Outcome outcome;
    try {
      decoder.decode(input);
      outcome = Outcome.ACCEPTED;
    } catch (Throwable t) {
      if (Arrays.stream(refusals).noneMatch(c -> c.isInstance(t))) {
        throw new AssertionError("the decoder threw " + t + " (not one of " + Arrays.toString(refusals) + ") for " + hex(input), t);
      }
      outcome = Outcome.REFUSED;
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > maxAllocatedBytes && !fail) {
      return null;
    }
    if (allocated > maxAllocatedBytes) {
      throw new AssertionError("the decoder allocated " + allocated + " bytes, more than its limit of " + maxAllocatedBytes + ", for " + hex(input));
    }
    return outcome;
  }

  /** Up to 256 bytes of {@code b} in hex, for failure messages. */
  public static String hex(byte[] b) {
    String h = java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 256));
    return b.length + " bytes: " + h + (b.length > 256 ? "..." : "");
  }
}
