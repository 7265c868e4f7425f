package io.gossipnet.core.spi;

/**
 * A message as read from a connection.
 *
 * @param tagCode the 2-byte tag as a 16-bit value, first byte high
 * @param payload the payload after the tag
 */
public record InboundMessage(int tagCode, byte[] payload) {}
