package io.gossipnet.examples.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One write, as gossiped between nodes ({@link KvCodec}) and listed in snapshots ({@link KvJson}).
 *
 * @param key the key
 * @param value the value; not copied, so neither the caller nor a reader may modify it
 * @param version the write's version
 */
public record KvWrite(String key, byte[] value, Version version) {
  /** Checks that every part is present. */
  public KvWrite {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvWrite w && w.key.equals(key) && Arrays.equals(w.value, value) && w.version.equals(version);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), version);
  }

  @Override
  public String toString() {
    return "KvWrite[" + key + " = " + value.length + " bytes @ " + version + "]";
  }
}
