package io.gossipnet.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A message tag: two printable ASCII bytes that say what a message is (for example {@code AV} for a
 * vote or {@code TX} for a transaction group), with the limits and policies attached to it.
 *
 * <p>A tag's {@link #maxPayloadSize()} is enforced on every received message before its payload is
 * buffered; a tag whose maximum is 0 is known but not accepted from peers (a deprecated tag).
 * {@link #highPriority()} selects the broadcaster's and the peers' high-priority queues, and
 * {@link #dedupSafe()} lets the incoming duplicate filter drop repeats of the tag.
 *
 * <p>Tags are compared by their two bytes only. The default table of the seed network is in {@link
 * Tags}; applications define their own with {@link #of(String, int, boolean, boolean)} and pass
 * them in {@link NetworkConfig#tags()}.
 */
public final class Tag {
  private final String name;
  private final int code;
  private final int maxPayloadSize;
  private final boolean highPriority;
  private final boolean dedupSafe;
  private final byte[] bytes;

  private Tag(String name, int maxPayloadSize, boolean highPriority, boolean dedupSafe) {
    this.name = name;
    this.bytes = name.getBytes(StandardCharsets.US_ASCII);
    this.code = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
    this.maxPayloadSize = maxPayloadSize;
    this.highPriority = highPriority;
    this.dedupSafe = dedupSafe;
  }

  /**
   * Defines a tag.
   *
   * @param name two printable ASCII characters, not a comma
   * @param maxPayloadSize the largest payload accepted from a peer, in bytes (0: never accepted)
   * @param highPriority whether broadcasts of this tag use the high-priority queues
   * @param dedupSafe whether the incoming duplicate filter may drop repeats of this tag
   * @throws IllegalArgumentException if the name is not two printable ASCII characters or the size
   *     is negative
   */
  public static Tag of(String name, int maxPayloadSize, boolean highPriority, boolean dedupSafe) {
    Objects.requireNonNull(name, "name");
    if (name.length() != 2) {
      throw new IllegalArgumentException("tag must be exactly 2 characters: '" + name + "'");
    }
    for (int i = 0; i < 2; i++) {
      char c = name.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ',') {
        throw new IllegalArgumentException("tag must be printable ASCII without ',': '" + name + "'");
      }
    }
    if (maxPayloadSize < 0) {
      throw new IllegalArgumentException("maxPayloadSize must be >= 0 for tag " + name);
    }
    return new Tag(name, maxPayloadSize, highPriority, dedupSafe);
  }

  /** The 16-bit code of two tag bytes as they appear on the wire (first byte high). */
  public static int code(byte first, byte second) {
    return ((first & 0xff) << 8) | (second & 0xff);
  }

  /** The tag's two characters. */
  public String name() {
    return name;
  }

  /** The two bytes as a 16-bit value, first byte high: an index for table lookups. */
  public int code() {
    return code;
  }

  /** The first wire byte. */
  public byte firstByte() {
    return bytes[0];
  }

  /** The second wire byte. */
  public byte secondByte() {
    return bytes[1];
  }

  /** The largest payload accepted from a peer for this tag, in bytes (0: never accepted). */
  public int maxPayloadSize() {
    return maxPayloadSize;
  }

  /** Whether broadcasts of this tag go through the high-priority queues. */
  public boolean highPriority() {
    return highPriority;
  }

  /** Whether the incoming duplicate filter may drop repeated messages of this tag. */
  public boolean dedupSafe() {
    return dedupSafe;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tag t && t.code == code;
  }

  @Override
  public int hashCode() {
    return code;
  }

  @Override
  public String toString() {
    return name;
  }
}
