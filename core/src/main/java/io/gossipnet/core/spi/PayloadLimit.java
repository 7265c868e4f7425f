package io.gossipnet.core.spi;

/** The largest payload the engine accepts for a tag; asked by a transport before buffering. */
@FunctionalInterface
public interface PayloadLimit {
  /** The largest payload for the tag with this wire code, in bytes. */
  int maxPayload(int tagCode);
}
