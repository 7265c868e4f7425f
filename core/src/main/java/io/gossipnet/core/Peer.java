package io.gossipnet.core;

/**
 * An opaque handle on a peer. What a peer can do is attached through capability interfaces, tested
 * with {@code instanceof}: {@link DisconnectablePeer}, {@link HttpPeer}, {@link UnicastPeer},
 * {@link IpAddressablePeer} and {@link PeerConnectionInfo}.
 *
 * <p>Two handles are equal when they denote the same connection (or the same phonebook entry);
 * that is how {@link GossipNode#broadcast broadcast}'s {@code except} argument is matched.
 */
public interface Peer {}
