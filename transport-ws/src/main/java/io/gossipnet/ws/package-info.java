/**
 * The WebSocket transport: {@link io.gossipnet.ws.WsNetwork} is the core engine over {@link
 * io.gossipnet.ws.WsTransport}, which runs one Jetty 12 server per node (the gossip endpoint and
 * every registered HTTP handler) and a Jetty WebSocket client for dialing, both on Jetty's core
 * WebSocket API (no servlets).
 *
 * <p>Entry points: {@link io.gossipnet.ws.WsNetwork} (construct and {@code start()}), {@link
 * io.gossipnet.ws.WsTransportModule} with {@link io.gossipnet.guice.GossipNodeService} (Guice), and
 * {@link io.gossipnet.ws.WsConfig} for the WebSocket-specific settings. The rest is
 * package-private: {@code WsConnection} (one connection: demand-based reads, batched
 * completion-based sends), {@code WsHttpHosting}, {@code RequestTracker} (per-IP connection rate).
 */
package io.gossipnet.ws;
