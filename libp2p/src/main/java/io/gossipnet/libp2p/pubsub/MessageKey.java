package io.gossipnet.libp2p.pubsub;

import java.util.Arrays;

/** A message ID usable as a map key. */
record MessageKey(byte[] bytes) {
  @Override
  public boolean equals(Object o) {
    return o instanceof MessageKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
