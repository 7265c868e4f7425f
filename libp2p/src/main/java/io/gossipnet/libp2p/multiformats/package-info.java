/**
 * Multiformats pieces libp2p needs: unsigned varints, base58btc, multibase (base32, base36) and
 * multiaddrs. Every decoder bounds its input before it allocates.
 */
package io.gossipnet.libp2p.multiformats;
