package io.gossipnet.ws;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The per-remote-host connection rate of the seed's {@code RequestTracker}: a sliding window of
 * connection times per host. {@link #register} records one more connection and returns how many
 * the host opened within the window, so the caller can answer 429 (over the count) or drop the
 * connection (over twice the count). Memory is bounded: a host keeps at most {@code 2 × count + 1}
 * timestamps and hosts with none in the window are swept.
 */
final class RequestTracker {
  private final long windowNanos;
  private final int count;
  private final LongSupplier clock;
  private final Map<String, ArrayDeque<Long>> byHost = new HashMap<>();
  private long lastSweep;

  RequestTracker(Duration window, int count, LongSupplier nanoClock) {
    this.windowNanos = window.toNanos();
    this.count = count;
    this.clock = nanoClock;
  }

  /** Records a connection from {@code host}; returns the connections in the window, this one included. */
  synchronized int register(String host) {
    long now = clock.getAsLong();
    if (now - lastSweep > windowNanos) {
      sweep(now);
      lastSweep = now;
    }
    ArrayDeque<Long> times = byHost.computeIfAbsent(host, h -> new ArrayDeque<>());
    while (!times.isEmpty() && now - times.peekFirst() > windowNanos) {
      times.pollFirst();
    }
    times.addLast(now);
    while (times.size() > 2 * count + 1) {
      times.pollFirst();
    }
    return times.size();
  }

  /** The most connections per window before a 429. */
  int limit() {
    return count;
  }

  /** The window, rounded up to whole seconds, for {@code Retry-After}. */
  long retryAfterSeconds() {
    return Math.max(1, (windowNanos + 999_999_999L) / 1_000_000_000L);
  }

  private void sweep(long now) {
    for (Iterator<ArrayDeque<Long>> it = byHost.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Long> t = it.next();
      if (t.isEmpty() || now - t.peekLast() > windowNanos) {
        it.remove();
      }
    }
  }

  /** Hosts currently tracked (for tests). */
  synchronized int trackedHosts() {
    return byHost.size();
  }
}
