/**
 * Wire-compatibility tests against js-libp2p, an independent implementation from npm: a
 * {@link io.gossipnet.libp2p.interop.JsPeer} process on loopback, handshakes, identify, echo,
 * keep-alive and HTTP over streams in both directions.
 */
package io.gossipnet.libp2p.interop;
