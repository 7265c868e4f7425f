package io.gossipnet.libp2p.http;

/** Answers one HTTP request. */
@FunctionalInterface
public interface HttpHandler {
  /** Handles the request; an exception becomes a 500. */
  HttpResponse handle(HttpRequest request) throws Exception;
}
