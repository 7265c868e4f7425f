/**
 * Interop tests of {@link io.gossipnet.p2p.P2PNetwork} against js-libp2p speaking go-algorand's
 * P2P protocol: a {@link io.gossipnet.p2p.interop.JsAlgorandPeer} process ({@code
 * src/test/js-algorand/peer.mjs}) on loopback, with the gossip stream {@code /algorand-ws/2.2.0},
 * TX over GossipSub {@code algotx01} and HTTP under {@code /algorand-http/1.0.0}.
 */
package io.gossipnet.p2p.interop;
