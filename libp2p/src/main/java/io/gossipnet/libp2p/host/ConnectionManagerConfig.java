package io.gossipnet.libp2p.host;

import java.time.Duration;

/**
 * Watermarks of the {@link ConnectionManager}, as go-libp2p's {@code connmgr.NewConnManager(low,
 * high, WithGracePeriod(grace))}: once the host holds {@code highWater} connections or more, the
 * manager closes connections of unprotected peers that are older than {@code gracePeriod} until
 * {@code lowWater} of them remain. {@code lowWater == 0} or {@code highWater == 0} turns trimming
 * off (go-algorand's "unlimited"); protection works either way.
 *
 * @param lowWater connections of trimmable peers kept by a trim
 * @param highWater connection count at which the periodic check trims
 * @param gracePeriod how long a newly seen peer is exempt from trimming
 * @param checkInterval how often the count is compared with {@code highWater} (go's silence
 *     period, 10 s)
 */
public record ConnectionManagerConfig(int lowWater, int highWater, Duration gracePeriod, Duration checkInterval) {
  /** go-libp2p's default grace period: one minute (go-algorand sets 20 s). */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(1);
  /** go-libp2p's silence period between two trims: 10 s. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);

  /** Validates the settings, naming the one that is wrong. */
  public ConnectionManagerConfig {
    if (lowWater < 0 || highWater < 0) {
      throw new IllegalArgumentException("connection manager: lowWater and highWater must not be negative, got "
          + lowWater + "/" + highWater);
    }
    if (lowWater > 0 && highWater > 0 && lowWater > highWater) {
      throw new IllegalArgumentException("connection manager: lowWater " + lowWater + " above highWater " + highWater);
    }
    if (gracePeriod == null || gracePeriod.isNegative()) {
      throw new IllegalArgumentException("connection manager: gracePeriod must not be negative");
    }
    if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("connection manager: checkInterval must be positive");
    }
  }

  /** Watermarks with the default check interval. */
  public static ConnectionManagerConfig of(int lowWater, int highWater, Duration gracePeriod) {
    return new ConnectionManagerConfig(lowWater, highWater, gracePeriod, DEFAULT_CHECK_INTERVAL);
  }

  /** No trimming (the default of {@link Host}); peers can still be protected. */
  public static ConnectionManagerConfig disabled() {
    return of(0, 0, DEFAULT_GRACE_PERIOD);
  }

  /** Whether trimming is on: both watermarks are positive. */
  public boolean trimmingEnabled() {
    return lowWater > 0 && highWater > 0;
  }
}
