package io.gossipnet.core.memory;

import java.time.Duration;

/**
 * How an in-memory link behaves: one-way latency, bandwidth, random loss and buffering.
 *
 * @param latency added to every message, one way
 * @param bytesPerSecond the link's bandwidth (0: unlimited)
 * @param dropProbability the chance that a message is silently lost, 0 to 1
 * @param bufferMessages how many messages the link holds before the writer blocks (backpressure)
 */
public record LinkConditions(
    Duration latency, long bytesPerSecond, double dropProbability, int bufferMessages) {
  /** No latency, unlimited bandwidth, no loss, a 4096-message buffer. */
  public static final LinkConditions PERFECT = new LinkConditions(Duration.ZERO, 0, 0, 4096);

  /** Checks the values. */
  public LinkConditions {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0");
    }
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be >= 0");
    }
    if (dropProbability < 0 || dropProbability > 1) {
      throw new IllegalArgumentException("dropProbability must be in [0, 1]");
    }
    if (bufferMessages < 1) {
      throw new IllegalArgumentException("bufferMessages must be >= 1");
    }
  }

  /** These conditions with another latency. */
  public LinkConditions withLatency(Duration d) {
    return new LinkConditions(d, bytesPerSecond, dropProbability, bufferMessages);
  }

  /** These conditions with another bandwidth. */
  public LinkConditions withBandwidth(long bytesPerSecond) {
    return new LinkConditions(latency, bytesPerSecond, dropProbability, bufferMessages);
  }

  /** These conditions with another loss probability. */
  public LinkConditions withDropProbability(double p) {
    return new LinkConditions(latency, bytesPerSecond, p, bufferMessages);
  }

  /** These conditions with another buffer size. */
  public LinkConditions withBufferMessages(int n) {
    return new LinkConditions(latency, bytesPerSecond, dropProbability, n);
  }
}
