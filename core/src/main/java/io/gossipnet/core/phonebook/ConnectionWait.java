package io.gossipnet.core.phonebook;

import java.time.Duration;

/**
 * The answer of {@link Phonebook#getConnectionWaitTime(String)}.
 *
 * @param waitTime how long to wait before asking again; zero means connect now
 * @param provisionalTime when {@code waitTime} is zero, the provisional connection time (phonebook
 *     clock, nanoseconds) to hand to {@link Phonebook#updateConnectionTime(String, long)} after
 *     the connection attempt; otherwise meaningless
 */
public record ConnectionWait(Duration waitTime, long provisionalTime) {
  /** Whether the caller must wait before connecting. */
  public boolean mustWait() {
    return !waitTime.isZero();
  }
}
