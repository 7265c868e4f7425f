package io.gossipnet.core.spi;

import io.gossipnet.core.http.HttpRouter;
import io.gossipnet.core.http.PeerHttpClient;

/**
 * A transport's HTTP side: a server that is a byte adapter around the node's one {@link
 * HttpRouter}, and clients to peers.
 */
public interface HttpHosting {
  /**
   * Serves {@code router} on this transport's HTTP server (if it runs one). The engine calls it
   * once, when it is built, before the transport starts; routes registered later are served too.
   * The adapter parses the request head, answers {@link HttpRouter#route} refusals at once, and
   * gives a matched route the headers and the body (bounded by the router's limit).
   */
  void serve(HttpRouter router);

  /**
   * The request body limit of the router the engine makes when the builder is given none (a
   * transport's own setting, such as the WebSocket server's); an injected router keeps its own.
   */
  default int maxRequestBodyBytes() {
    return HttpRouter.DEFAULT_MAX_REQUEST_BODY_BYTES;
  }

  /**
   * A client that sends requests only to {@code address}. The engine wraps it with the per-address
   * rate limit.
   */
  PeerHttpClient client(String address);
}
