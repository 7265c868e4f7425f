/**
 * Message-of-interest ({@code MI}) support (the seed's {@code msgOfInterest.go}).
 *
 * <p>A peer announces the tags it wants with an {@code MI} message whose body is {@link
 * io.gossipnet.core.Topics} with a single topic {@code "tags"} holding the comma-separated tag
 * names. {@link io.gossipnet.core.interest.MessageOfInterest} encodes and decodes that body; a
 * decoded list is a {@link io.gossipnet.core.interest.TagSet}, which a peer's write loop checks for
 * every outgoing message. Until a peer sends its list, {@link
 * io.gossipnet.core.interest.MessageOfInterest#defaultSendTags()} applies. {@link
 * io.gossipnet.core.interest.LocalInterest} keeps the node's own list and its generation.
 */
package io.gossipnet.core.interest;
