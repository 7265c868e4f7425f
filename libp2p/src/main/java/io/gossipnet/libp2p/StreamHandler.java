package io.gossipnet.libp2p;

/**
 * Serves one protocol on inbound streams. Each stream gets its own virtual thread; when
 * {@link #handle} returns the stream is closed, and when it throws the stream is reset and the
 * reason logged.
 */
@FunctionalInterface
public interface StreamHandler {
  /** Serves one stream. */
  void handle(Stream stream) throws Exception;
}
