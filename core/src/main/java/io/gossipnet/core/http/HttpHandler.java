package io.gossipnet.core.http;

/**
 * Serves HTTP requests on a node, whatever the transport: registered once with {@link
 * io.gossipnet.core.GossipNode#registerHttpHandler}, served on every transport's HTTP server.
 */
@FunctionalInterface
public interface HttpHandler {
  /** Serves one request. Runs on a virtual thread; may block. */
  HttpResponse handle(HttpRequest request) throws Exception;
}
