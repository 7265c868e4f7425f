/**
 * Duplicate suppression (the seed's {@code messageFilter.go}).
 *
 * <p>{@link io.gossipnet.core.filter.Digest} is a 32-byte SHA-512/256 value: {@link
 * io.gossipnet.core.filter.Digest#of(io.gossipnet.core.Tag, byte[])} is the plain digest of tag and
 * payload carried by {@code MS} messages and checked by each peer's outgoing filter, and {@link
 * io.gossipnet.core.filter.Digest#salted(byte[], io.gossipnet.core.Tag, byte[])} prefixes a secret
 * nonce for the network-wide incoming filter. {@link io.gossipnet.core.filter.MessageFilter} is the
 * bounded, bucketed set both filters are built on; {@link
 * io.gossipnet.core.filter.IncomingDuplicateFilter} combines it with a random nonce.
 */
package io.gossipnet.core.filter;
