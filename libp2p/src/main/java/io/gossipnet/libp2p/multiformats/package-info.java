/**
 * Multiaddrs ({@link io.gossipnet.libp2p.multiformats.Multiaddr}): self-describing network
 * addresses in text and binary form, which may end in {@code /p2p/<peer ID>}. Built on
 * {@code crypto} (the peer ID) and {@code encoding} (varints); {@code crypto} does not depend on
 * this package. Every decoder bounds its input before it allocates.
 */
package io.gossipnet.libp2p.multiformats;
