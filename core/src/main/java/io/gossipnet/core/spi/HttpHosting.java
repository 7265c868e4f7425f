package io.gossipnet.core.spi;

import io.gossipnet.core.http.HttpHandler;
import io.gossipnet.core.http.PeerHttpClient;

/** A transport's HTTP side: a server that serves registered handlers, and clients to peers. */
public interface HttpHosting {
  /**
   * Serves {@code handler} at {@code pathTemplate}; {@code {name}} segments match one path segment
   * and are passed as path variables.
   */
  void register(String pathTemplate, HttpHandler handler);

  /**
   * A client that sends requests only to {@code address}. The engine wraps it with the per-address
   * rate limit.
   */
  PeerHttpClient client(String address);
}
