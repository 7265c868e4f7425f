/**
 * A small msgpack codec for the seed network's wire messages, shared by core and the transports.
 *
 * <ul>
 *   <li>{@link io.gossipnet.core.codec.MsgPackWriter} writes go-algorand's canonical form: the
 *       smallest header for every length, byte strings as {@code bin}; the caller writes map keys
 *       in sorted order and omits empty fields.
 *   <li>{@link io.gossipnet.core.codec.MsgPackReader} reads hostile input: every map, array,
 *       string and byte-string length is checked against a caller-given limit and against the
 *       remaining input before anything is allocated; anything malformed is a {@link
 *       io.gossipnet.core.codec.MsgPackException}.
 * </ul>
 *
 * <p>Only the types the messages use are supported (maps, arrays, strings, byte strings, nil). The
 * identity challenge ({@code io.gossipnet.core.identity}) and the P2P transport's start-of-stream
 * metadata are written and read with it.
 */
package io.gossipnet.core.codec;
