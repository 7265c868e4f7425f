/**
 * The P2P transport (go-algorand's {@code P2PNetwork}): the core engine over the libp2p host of
 * {@code gossipnet-libp2p}. This package holds, so far, the transport's self-contained building
 * blocks, each a direct counterpart of a piece of the seed's {@code network/p2p*} code:
 *
 * <ul>
 *   <li>{@link io.gossipnet.p2p.MessageFrames}: gossip messages on a stream, a 4-byte length then
 *       tag and payload ({@code wsPeerConnP2P}); errors are {@link io.gossipnet.p2p.FrameException}.
 *   <li>{@link io.gossipnet.p2p.MetadataFrame} and {@link io.gossipnet.p2p.MetadataExchange}: the
 *       {@code /algorand-ws/2.2.0} start-of-stream metadata and version negotiation ({@code
 *       p2pMetainfo.go}); errors are {@link io.gossipnet.p2p.MetadataException}.
 *   <li>{@link io.gossipnet.p2p.PeerKeyFile}: the node's Ed25519 key as a PEM/PKCS#8 file ({@code
 *       p2p/peerID.go}); errors are {@link io.gossipnet.p2p.PeerKeyException}.
 *   <li>{@link io.gossipnet.p2p.P2PConnectionLimits}: resource and connection manager limits
 *       ({@code deriveConnLimits}).
 *   <li>{@link io.gossipnet.p2p.GossipSubDerivation}: the transaction topic's GossipSub
 *       configuration ({@code deriveAlgorandGossipSubParams}, {@code makePubSub}).
 * </ul>
 *
 * <p>Every decoder here reads hostile input: lengths and counts are checked before anything is
 * allocated, and a bad frame is one exception type with a reason the caller maps to the core's
 * {@link io.gossipnet.core.DisconnectReason}.
 */
package io.gossipnet.p2p;
