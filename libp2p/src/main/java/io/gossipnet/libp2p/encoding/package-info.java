/**
 * The byte and text encodings of the multiformats family that everything else builds on:
 * unsigned varints ({@link io.gossipnet.libp2p.encoding.Varint}), base58btc
 * ({@link io.gossipnet.libp2p.encoding.Base58}) and multibase base32 and base36
 * ({@link io.gossipnet.libp2p.encoding.Multibase}). The lowest package of the module: it depends on
 * no other, so the protobuf codec, keys and peer IDs and multiaddrs can all use it. Every decoder
 * bounds its input before it allocates.
 */
package io.gossipnet.libp2p.encoding;
