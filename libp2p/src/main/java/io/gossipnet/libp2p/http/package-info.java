/**
 * HTTP/1.1 over libp2p streams ({@code /http/1.1}): one exchange per stream. {@link
 * io.gossipnet.libp2p.http.HttpServer} dispatches requests by exact path and serves
 * {@code /.well-known/libp2p/protocols}; {@link io.gossipnet.libp2p.http.HttpClient} sends requests
 * and reads content-length, chunked or EOF-delimited bodies.
 */
package io.gossipnet.libp2p.http;
