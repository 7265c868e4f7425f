package io.gossipnet.core.phonebook;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that only moves when told to. */
final class FakeClock implements LongSupplier {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /** A delayer that advances this clock instead of waiting. */
  Delayer advancingDelayer(java.util.List<Duration> record) {
    return d -> {
      record.add(d);
      advance(d);
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    };
  }
}
