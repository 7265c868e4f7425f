package io.gossipnet.examples.kv;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The settings of {@link KvModule}.
 *
 * @param nodeId the ID this node writes as, the tie-break between writes with equal timestamps (1
 *     to 64 printable ASCII characters); by default random, so a restarted node (whose store is in
 *     memory and starts empty) writes under a new ID
 * @param maxKeys the most keys the store holds
 * @param antiEntropyInterval how often the node compares its store with its peers' and pulls what
 *     it is missing (also right after a new peer connects)
 */
public record KvSettings(String nodeId, int maxKeys, Duration antiEntropyInterval) {
  /** The default {@link #antiEntropyInterval()}. */
  public static final Duration DEFAULT_ANTI_ENTROPY_INTERVAL = Duration.ofSeconds(2);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if the node ID is not valid, {@code maxKeys} is not positive
   *     or the interval is not positive
   */
  public KvSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(antiEntropyInterval, "antiEntropyInterval");
    if (!Version.validNodeId(nodeId)) {
      throw new IllegalArgumentException("node ID must be 1 to " + Version.MAX_NODE_ID_LENGTH + " printable ASCII characters: '" + nodeId + "'");
    }
    if (maxKeys <= 0) {
      throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
    }
    if (antiEntropyInterval.isNegative() || antiEntropyInterval.isZero()) {
      throw new IllegalArgumentException("antiEntropyInterval must be positive: " + antiEntropyInterval);
    }
  }

  /** A random node ID, at most {@link KvStore#DEFAULT_MAX_KEYS} keys, anti-entropy every 2 s. */
  public static KvSettings defaults() {
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    return new KvSettings(HexFormat.of().formatHex(id), KvStore.DEFAULT_MAX_KEYS, DEFAULT_ANTI_ENTROPY_INTERVAL);
  }

  /** These settings with another node ID. */
  public KvSettings withNodeId(String id) {
    return new KvSettings(id, maxKeys, antiEntropyInterval);
  }

  /** These settings with another key limit. */
  public KvSettings withMaxKeys(int max) {
    return new KvSettings(nodeId, max, antiEntropyInterval);
  }

  /** These settings with another anti-entropy interval. */
  public KvSettings withAntiEntropyInterval(Duration interval) {
    return new KvSettings(nodeId, maxKeys, interval);
  }
}
