package io.gossipnet.core.interest;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.Topic;
import io.gossipnet.core.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of {@code MI} (message-of-interest) messages: {@code Topics{ {"tags", "AV,MI,..."} }}.
 *
 * <p>{@link #encode} writes the tags' names, sorted by wire code and separated by commas, as the
 * value of a single topic {@value #TAGS_KEY}. {@link #decode} applies the seed's rules: the first
 * {@value #TAGS_KEY} topic must exist and its value be at most {@value #MAX_VALUE_LENGTH} bytes;
 * each comma-separated element must be exactly two bytes; deprecated tags of the table ({@code pi},
 * {@code pj}) are skipped; any other tag the table does not know is an error. Every failure is a
 * {@link MalformedInterestException}, after which the caller disconnects the peer.
 *
 * <p>An empty list cannot be expressed: it encodes as an empty value, which the seed rejects (its
 * only element is zero bytes long). {@link #encode} therefore refuses an empty collection.
 */
public final class MessageOfInterest {
  /** The key of the single topic. */
  public static final String TAGS_KEY = "tags";
  /** The longest accepted value of the {@value #TAGS_KEY} topic, in bytes. */
  public static final int MAX_VALUE_LENGTH = 1024;

  private static final byte SEPARATOR = ',';

  private static final List<Tag> DEFAULT_SEND_TAGS =
      List.of(
          Tags.AV, Tags.MS, Tags.NP, Tags.NI, Tags.PP, Tags.TS, Tags.MI, Tags.TX, Tags.UE, Tags.VB,
          Tags.VP);
  private static final TagSet DEFAULT_SEND_SET = TagSet.of(DEFAULT_SEND_TAGS);

  private MessageOfInterest() {}

  /**
   * The tags sent to a peer before it announces its own list: AV, MS, NP, NI, PP, TS, MI, TX, UE,
   * VB and VP. {@code SP} is not among them; a peer must ask for it.
   */
  public static List<Tag> defaultSendTags() {
    return DEFAULT_SEND_TAGS;
  }

  /** {@link #defaultSendTags()} as a {@link TagSet}. */
  public static TagSet defaultSendSet() {
    return DEFAULT_SEND_SET;
  }

  /**
   * Encodes a list of tags. Duplicates are dropped and the names sorted by wire code, so equal
   * sets give equal bytes.
   *
   * @throws IllegalArgumentException if the collection is empty or the value would exceed {@value
   *     #MAX_VALUE_LENGTH} bytes (peers would reject either)
   */
  public static byte[] encode(Collection<Tag> tags) {
    Objects.requireNonNull(tags, "tags");
    List<Tag> sorted =
        tags.stream().distinct().sorted(Comparator.comparingInt(Tag::code)).toList();
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a message-of-interest list cannot be empty");
    }
    byte[] value = new byte[sorted.size() * 3 - 1];
    int pos = 0;
    for (Tag t : sorted) {
      if (pos > 0) {
        value[pos++] = SEPARATOR;
      }
      value[pos++] = t.firstByte();
      value[pos++] = t.secondByte();
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "message-of-interest value of "
              + value.length
              + " bytes exceeds "
              + MAX_VALUE_LENGTH
              + " ("
              + sorted.size()
              + " tags)");
    }
    return Topics.of(new Topic(TAGS_KEY, value)).encode();
  }

  /**
   * Decodes an {@code MI} body against the node's tag table.
   *
   * @param payload the message payload (without the {@code MI} tag bytes)
   * @param known the node's tag table
   * @return the tags the peer wants, without deprecated ones
   * @throws MalformedInterestException if the body breaks any of the rules above
   */
  public static TagSet decode(byte[] payload, Tags known) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(known, "known");
    Topics topics;
    try {
      topics = Topics.decode(payload);
    } catch (Topics.MalformedTopicsException e) {
      throw new MalformedInterestException(
          "message-of-interest: cannot decode topics: " + e.getMessage(), e);
    }
    Optional<byte[]> maybeValue = topics.get(TAGS_KEY);
    if (maybeValue.isEmpty()) {
      throw new MalformedInterestException(
          "message-of-interest: no '" + TAGS_KEY + "' topic in " + topics);
    }
    byte[] value = maybeValue.get();
    if (value.length > MAX_VALUE_LENGTH) {
      throw new MalformedInterestException(
          "message-of-interest: value of "
              + value.length
              + " bytes exceeds "
              + MAX_VALUE_LENGTH);
    }
    List<Tag> tags = new ArrayList<>(value.length / 3 + 1);
    int start = 0;
    for (int i = 0; i <= value.length; i++) {
      if (i < value.length && value[i] != SEPARATOR) {
        continue;
      }
      int len = i - start;
      if (len != 2) {
        throw new MalformedInterestException(
            "message-of-interest: tag at offset "
                + start
                + " is "
                + len
                + " bytes, expected 2: '"
                + printable(value, start, len)
                + "'");
      }
      int code = Tag.code(value[start], value[start + 1]);
      start = i + 1;
      if (known.isDeprecated(code)) {
        continue;
      }
      Tag tag = known.lookup(code);
      if (tag == null) {
        throw new MalformedInterestException(
            "message-of-interest: unknown tag '" + printable(value, i - 2, 2) + "'");
      }
      tags.add(tag);
    }
    return TagSet.of(tags);
  }

  /**
   * The size of the body listing every active tag of the table: the largest {@code MI} payload
   * this node sends (the seed's {@code MessageOfInterestMaxSize()}).
   */
  public static int maxEncodedSize(Tags known) {
    return encode(known.all()).length;
  }

  /** A slice as text if it is printable ASCII, else as hex; capped for log safety. */
  private static String printable(byte[] b, int off, int len) {
    int n = Math.min(len, 16);
    for (int i = off; i < off + n; i++) {
      if (b[i] < 0x20 || b[i] > 0x7e) {
        return "0x" + HexFormat.of().formatHex(b, off, off + n) + (n < len ? "..." : "");
      }
    }
    return new String(b, off, n, StandardCharsets.US_ASCII) + (n < len ? "..." : "");
  }
}
