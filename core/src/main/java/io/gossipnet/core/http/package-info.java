/**
 * The transport-neutral HTTP stack: the model ({@link io.gossipnet.core.http.HttpRequest}, {@link
 * io.gossipnet.core.http.HttpResponse}, {@link io.gossipnet.core.http.HttpHandler}), the node's one
 * {@link io.gossipnet.core.http.HttpRouter} that every transport's server adapts, and clients bound
 * to one peer ({@link io.gossipnet.core.http.PeerHttpClient}, rate-limited per address by {@link
 * io.gossipnet.core.http.RateLimitingHttpClient}).
 */
package io.gossipnet.core.http;
