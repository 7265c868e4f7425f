package io.gossipnet.core.mesh;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with decorrelated jitter, as libp2p's {@code
 * ExponentialDecorrelatedJitter} that the seed's P2P mesher uses: the first delay is {@code min};
 * each next one is uniform in {@code [min, previous * base)}, clamped to {@code [min, max]}. With
 * the mesh defaults (2 s, 60 s, base 3) a typical sequence is "2 2.4 4.6 9 20 19.5 28 24 14 14 35
 * 60 60" seconds. Thread-safe.
 */
public final class JitterBackoff {
  /** The mesher's minimum delay. */
  public static final Duration DEFAULT_MIN = Duration.ofSeconds(2);
  /** The mesher's maximum delay (the seed's mesh interval). */
  public static final Duration DEFAULT_MAX = Duration.ofMinutes(1);
  /** The mesher's growth base. */
  public static final double DEFAULT_BASE = 3.0;

  private final long minNanos;
  private final long maxNanos;
  private final double base;
  private final RandomGenerator random;
  private long lastNanos;

  /**
   * Creates a backoff.
   *
   * @param min the first and smallest delay, positive
   * @param max the largest delay, at least {@code min}
   * @param base how much the upper bound of the next delay may grow, more than 1
   * @param random the jitter source
   */
  public JitterBackoff(Duration min, Duration max, double base, RandomGenerator random) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.isNegative() || min.isZero()) {
      throw new IllegalArgumentException("min must be positive, got " + min);
    }
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max " + max + " must be >= min " + min);
    }
    if (!(base > 1.0)) {
      throw new IllegalArgumentException("base must be > 1, got " + base);
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.base = base;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The seed mesher's backoff: 2 s to 60 s, base 3.0. */
  public static JitterBackoff meshDefault() {
    return new JitterBackoff(DEFAULT_MIN, DEFAULT_MAX, DEFAULT_BASE, RandomGenerator.getDefault());
  }

  /** The next delay. */
  public synchronized Duration nextDelay() {
    if (lastNanos < minNanos) {
      lastNanos = minNanos;
      return Duration.ofNanos(lastNanos);
    }
    long nextMax = (long) (lastNanos * base); // saturates at Long.MAX_VALUE
    long next = minNanos + random.nextLong(nextMax - minNanos);
    lastNanos = Math.min(Math.max(next, minNanos), maxNanos);
    return Duration.ofNanos(lastNanos);
  }

  /** Starts over: the next delay is the minimum. */
  public synchronized void reset() {
    lastNanos = 0;
  }
}
