package io.gossipnet.core;

/**
 * A message received from a peer, as given to a {@link MessageHandler} or {@link
 * MessageValidator}.
 *
 * @param sender the peer that sent it (a {@link DisconnectablePeer})
 * @param tag the message's tag
 * @param data the payload, without the tag; shared, so handlers must not modify it
 * @param network the network that received it
 * @param receivedNanos {@link System#nanoTime()} when the read path finished reading it
 * @param outgoing whether it arrived on a connection that this node dialed
 */
public record IncomingMessage(
    Peer sender, Tag tag, byte[] data, GossipNode network, long receivedNanos, boolean outgoing) {}
