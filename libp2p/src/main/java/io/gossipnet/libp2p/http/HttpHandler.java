package io.gossipnet.libp2p.http;

/**
 * Answers the HTTP requests of one {@link HttpServer} mount. A handler that routes further (a
 * node's router) implements {@link #admit} too, so that a request it would refuse is answered
 * from its head, before any of the body is read.
 */
@FunctionalInterface
public interface HttpHandler {
  /** Handles the request; an exception becomes a 500. Runs on a virtual thread; may block. */
  HttpResponse handle(HttpRequest request) throws Exception;

  /**
   * Looks at a request head before its body is read: a response to send at once instead of
   * reading the body and calling {@link #handle}, or null to go on. By default, null.
   *
   * @param method the method
   * @param target the request target (path and query)
   * @param declaredLength the declared body length, or -1 if unknown (chunked or none)
   */
  default HttpResponse admit(String method, String target, long declaredLength) {
    return null;
  }
}
