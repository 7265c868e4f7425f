package io.gossipnet.examples.kv;

import java.util.Objects;

/**
 * The version of a write: a hybrid logical timestamp and the ID of the node that made the write.
 * Versions are totally ordered, timestamp first, then node ID (compared as strings), so every node
 * picks the same winner among concurrent writes of one key.
 *
 * @param timestamp milliseconds since the epoch, raised past every timestamp the node has seen (a
 *     Lamport clock over the wall clock); in {@code [0, }{@link #MAX_TIMESTAMP}{@code ]}
 * @param nodeId the writer's ID: 1 to {@link #MAX_NODE_ID_LENGTH} printable ASCII characters
 */
public record Version(long timestamp, String nodeId) implements Comparable<Version> {
  /**
   * The largest timestamp accepted: far beyond any clock, and low enough that a clock raised to it
   * can still count up without overflowing.
   */
  public static final long MAX_TIMESTAMP = Long.MAX_VALUE / 2;

  /** The longest node ID, in characters. */
  public static final int MAX_NODE_ID_LENGTH = 64;

  /**
   * Checks both parts.
   *
   * @throws IllegalArgumentException if the timestamp is out of range or the node ID is not valid
   */
  public Version {
    Objects.requireNonNull(nodeId, "nodeId");
    if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
      throw new IllegalArgumentException("timestamp out of range: " + timestamp);
    }
    if (!validNodeId(nodeId)) {
      throw new IllegalArgumentException("node ID must be 1 to " + MAX_NODE_ID_LENGTH + " printable ASCII characters: '" + nodeId + "'");
    }
  }

  /** Whether {@code id} is 1 to {@link #MAX_NODE_ID_LENGTH} printable ASCII characters. */
  public static boolean validNodeId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_NODE_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(Version other) {
    int c = Long.compare(timestamp, other.timestamp);
    return c != 0 ? c : nodeId.compareTo(other.nodeId);
  }

  /** Whether this version wins over {@code other} (is strictly newer). */
  public boolean newerThan(Version other) {
    return compareTo(other) > 0;
  }

  /** The version as JSON: {@code {"ts":123,"node":"id"}}. */
  public String toJson() {
    // A node ID is printable ASCII; only '"' and '\' need escaping.
    return "{\"ts\":" + timestamp + ",\"node\":\"" + nodeId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }

  @Override
  public String toString() {
    return timestamp + "/" + nodeId;
  }
}
