/**
 * Keys and peer IDs in libp2p's formats: our Ed25519 identity ({@link io.gossipnet.libp2p.crypto.PrivateKey}),
 * remote public keys of every libp2p key type ({@link io.gossipnet.libp2p.crypto.PublicKey}) and
 * {@link io.gossipnet.libp2p.crypto.PeerId}.
 */
package io.gossipnet.libp2p.crypto;
