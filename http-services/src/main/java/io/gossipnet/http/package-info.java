/**
 * HTTP services registered once and served over every transport of a node (the Jetty server of
 * the WS transport, {@code /algorand-http/1.0.0} streams of the P2P transport, both on a hybrid
 * node), with the same paths and path variables: {@link io.gossipnet.http.HttpServicesModule}
 * (Guice: handlers by {@code MapBinder}, routes by {@code Multibinder}), {@link
 * io.gossipnet.http.HttpServices} (the registration itself), the built-in endpoints {@link
 * io.gossipnet.http.StatusEndpoint}, {@link io.gossipnet.http.PeersEndpoint} and {@link
 * io.gossipnet.http.MetricsEndpoint}, and the content-addressed {@link
 * io.gossipnet.http.BlobService} with its {@link io.gossipnet.http.BlobStore} and {@link
 * io.gossipnet.http.BlobClient}.
 */
package io.gossipnet.http;
