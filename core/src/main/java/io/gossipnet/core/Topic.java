package io.gossipnet.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One key/value pair of a topic request or response.
 *
 * @param key 1 to 64 bytes of UTF-8
 * @param data the value; shared, not copied
 */
public record Topic(String key, byte[] data) {
  /** Checks the key. */
  public Topic {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    int len = key.getBytes(StandardCharsets.UTF_8).length;
    if (len < 1 || len > Topics.MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("topic key must be 1.." + Topics.MAX_KEY_LENGTH + " bytes");
    }
  }

  /** A topic whose value is a UTF-8 string. */
  public static Topic of(String key, String value) {
    return new Topic(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
