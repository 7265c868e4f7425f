package io.gossipnet.testkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.Topic;
import io.gossipnet.core.Topics;
import io.gossipnet.core.interest.MalformedInterestException;
import io.gossipnet.core.interest.MessageOfInterest;
import io.gossipnet.core.interest.TagSet;
import io.gossipnet.testkit.fuzz.Decoding.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Fuzz properties of core's wire decoders: the {@link Topics} list (request/response bodies, the
 * {@code UE} and {@code MI} payloads), the {@link MessageOfInterest} tag list, and tag handling
 * ({@link Tag#of} name parsing and {@link Tags} lookups). Every decoder either returns a value or
 * refuses the input with its declared exception, and allocates little more than the input.
 */
class CoreCodecsFuzzTest {
  /** Room for the exception (and its stack trace) a refusal builds. */
  private static final long EXCEPTION_ALLOWANCE = 64 * 1024;

  /** A table with one application tag besides the seed's (deprecated pi and pj included). */
  private static final Tags TABLE = Tags.defaultsPlus(Tag.of("ZZ", 100, false, false));

  // ---- Topics ----------------------------------------------------------------------------------

  @Property
  void topicsDecodingAcceptsOrRefusesWithMalformedTopicsAndAllocatesOnlyWhatTheInputBacks(
      @ForAll("topicsInputs") byte[] input) {
    Outcome outcome = Decoding.check(input, 8L * input.length + EXCEPTION_ALLOWANCE, Topics::decode,
        Topics.MalformedTopicsException.class);
    Statistics.collect(outcome);
  }

  @Property
  void everyTopicListReadsBackEqual(@ForAll("topicLists") Topics topics) {
    assertThat(Topics.decode(topics.encode())).isEqualTo(topics);
  }

  @Property
  void whatTopicsDecodingAcceptsReEncodesToTheSameTopics(@ForAll("topicsInputs") byte[] input) {
    Topics decoded;
    try {
      decoded = Topics.decode(input);
    } catch (Topics.MalformedTopicsException refused) {
      Statistics.collect(Outcome.REFUSED);
      return;
    }
    Statistics.collect(Outcome.ACCEPTED);
    assertThat(Topics.decode(decoded.encode())).isEqualTo(decoded);
  }

  @Property
  void aVarintIsReadOrRefusedWithMalformedTopics(@ForAll("varintInputs") byte[] input) {
    Outcome outcome = Decoding.check(input, EXCEPTION_ALLOWANCE, Topics::readUvarint,
        Topics.MalformedTopicsException.class);
    Statistics.collect(outcome);
  }

  @Property
  void everyVarintReadsBack(@ForAll long value) {
    assertThat(Topics.readUvarint(Topics.uvarint(value))).isEqualTo(value);
  }

  /**
   * Found by {@link #topicsDecodingAcceptsOrRefusesWithMalformedTopicsAndAllocatesOnlyWhatTheInputBacks}:
   * a 22-byte key of invalid UTF-8 decodes to 22 replacement characters, 66 bytes as UTF-8, which
   * the {@link Topic} constructor refused with a plain IllegalArgumentException instead of the
   * declared {@link Topics.MalformedTopicsException}.
   */
  @Test
  void aKeyOfInvalidUtf8IsMalformedTopicsNotAnUndeclaredException() {
    byte[] input = new byte[1 + 1 + 22 + 1];
    input[0] = 1;
    input[1] = 22;
    for (int i = 0; i < 22; i++) {
      input[2 + i] = (byte) 0xff;
    }
    input[24] = 0;
    assertThatThrownBy(() -> Topics.decode(input)).isExactlyInstanceOf(Topics.MalformedTopicsException.class);
  }

  /**
   * Found by {@link #topicsDecodingAcceptsOrRefusesWithMalformedTopicsAndAllocatesOnlyWhatTheInputBacks}:
   * a count of 2^63 or more read as a negative long, passed the signed limit check and reached
   * {@code new ArrayList(-1)} (an IllegalArgumentException "Illegal Capacity").
   */
  @Test
  void aCountOf2To64Minus1IsMalformedTopicsNotAnUndeclaredException() {
    byte[] input = java.util.HexFormat.of().parseHex("ffffffffffffffffff01");
    assertThatThrownBy(() -> Topics.decode(input))
        .isExactlyInstanceOf(Topics.MalformedTopicsException.class)
        .hasMessageContaining("18446744073709551615");
  }

  /**
   * The same signed comparison on a data length: 2^63 + 5 passed the limit check and was cut to
   * 5 by the int cast, so the frame was accepted with a 5-byte value.
   */
  @Test
  void aDataLengthOf2To63Plus5IsRefusedNotReadAsFive() {
    byte[] input = java.util.HexFormat.of().parseHex("01" + "0161" + "85808080808080808001" + "68656c6c6f");
    assertThatThrownBy(() -> Topics.decode(input))
        .isExactlyInstanceOf(Topics.MalformedTopicsException.class)
        .hasMessageContaining("9223372036854775813");
  }

  @Provide
  Arbitrary<Topics> topicLists() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, topic().list().ofMaxSize(6)),
        net.jqwik.api.Tuple.of(1, topic().list().ofMaxSize(Topics.MAX_TOPICS)))
        .map(Topics::of);
  }

  @Provide
  Arbitrary<byte[]> topicsInputs() {
    return Mutations.of(topicLists().map(Topics::encode), 256);
  }

  @Provide
  Arbitrary<byte[]> varintInputs() {
    return Mutations.of(Arbitraries.longs().map(Topics::uvarint), 16);
  }

  private static Arbitrary<Topic> topic() {
    Arbitrary<String> key = Arbitraries.strings()
        .withCharRange(' ', '~').withCharRange('\u00a0', '\u017f').withChars('\u20ac', '\u4e2d')
        .ofMinLength(1).ofMaxLength(Topics.MAX_KEY_LENGTH)
        .filter(k -> k.getBytes(StandardCharsets.UTF_8).length <= Topics.MAX_KEY_LENGTH);
    Arbitrary<String> wellKnown = Arbitraries.of(Topics.NONCE_KEY, Topics.REQUEST_HASH_KEY, Topics.ERROR_KEY,
        MessageOfInterest.TAGS_KEY, "roundKey", "blockData");
    Arbitrary<byte[]> data = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, Mutations.randomBytes(64)),
        net.jqwik.api.Tuple.of(1, Mutations.randomBytes(400)));
    return Combinators.combine(Arbitraries.oneOf(key, wellKnown), data).as(Topic::new);
  }

  // ---- Message of interest ---------------------------------------------------------------------

  @Property
  void messageOfInterestDecodingAcceptsOrRefusesWithMalformedInterest(@ForAll("interestInputs") byte[] input) {
    Outcome outcome = Decoding.check(input, 8L * input.length + EXCEPTION_ALLOWANCE,
        b -> MessageOfInterest.decode(b, TABLE), MalformedInterestException.class);
    Statistics.collect(outcome);
  }

  @Property
  void everyTagListReadsBackAsItsSetWithoutTheDeprecatedTags(@ForAll("tagLists") List<Tag> tags) {
    List<Tag> active = tags.stream().filter(t -> !TABLE.isDeprecated(t.code())).toList();
    assertThat(MessageOfInterest.decode(MessageOfInterest.encode(tags), TABLE)).isEqualTo(TagSet.of(active));
  }

  @Property
  void anAcceptedInterestListHoldsOnlyActiveTagsOfTheTable(@ForAll("interestInputs") byte[] input) {
    TagSet decoded;
    try {
      decoded = MessageOfInterest.decode(input, TABLE);
    } catch (MalformedInterestException refused) {
      Statistics.collect(Outcome.REFUSED);
      return;
    }
    Statistics.collect(Outcome.ACCEPTED);
    assertThat(decoded.isAll()).isFalse();
    for (String name : decoded.names()) {
      assertThat(TABLE.lookup(name)).as("tag %s", name).isNotNull();
      assertThat(TABLE.isDeprecated(TABLE.lookup(name).code())).isFalse();
    }
  }

  @Provide
  Arbitrary<List<Tag>> tagLists() {
    List<Tag> candidates = new ArrayList<>(TABLE.all());
    candidates.add(Tags.PING);
    candidates.add(Tags.PING_REPLY);
    return Arbitraries.of(candidates).list().ofMinSize(1).ofMaxSize(20);
  }

  @Provide
  Arbitrary<byte[]> interestInputs() {
    Arbitrary<byte[]> valid = tagLists().map(MessageOfInterest::encode);
    // Near-valid values inside a well-formed tags topic reach the per-element checks.
    Arbitrary<byte[]> mutatedValue = Mutations.of(tagLists().map(CoreCodecsFuzzTest::tagValue), 64)
        .map(v -> Topics.of(new Topic(MessageOfInterest.TAGS_KEY, v)).encode());
    return Arbitraries.oneOf(Mutations.of(valid, 128), mutatedValue);
  }

  private static byte[] tagValue(List<Tag> tags) {
    StringBuilder b = new StringBuilder();
    for (Tag t : tags) {
      b.append(b.isEmpty() ? "" : ",").append(t.name());
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  // ---- Tags ------------------------------------------------------------------------------------

  @Property
  void aTagNameIsAcceptedExactlyWhenItIsTwoPrintableAsciiCharactersOtherThanAComma(
      @ForAll("tagNameInputs") byte[] input) {
    String name = new String(input, StandardCharsets.UTF_8);
    Outcome outcome = Decoding.check(input, EXCEPTION_ALLOWANCE, b -> Tag.of(name, 10, false, false),
        IllegalArgumentException.class);
    Statistics.collect(outcome);
    boolean valid = name.length() == 2 && name.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',');
    assertThat(outcome).isEqualTo(valid ? Outcome.ACCEPTED : Outcome.REFUSED);
    if (valid) {
      Tag t = Tag.of(name, 10, false, false);
      assertThat(t.name()).isEqualTo(name);
      assertThat(t.code()).isEqualTo(Tag.code(t.firstByte(), t.secondByte()));
      assertThat(new String(new byte[] {t.firstByte(), t.secondByte()}, StandardCharsets.US_ASCII)).isEqualTo(name);
    }
  }

  @Property
  void lookingUpANameFindsOnlyTheTagOfThatName(@ForAll("lookupNames") String name) {
    Tag found = TABLE.lookup(name);
    Statistics.collect(found == null ? "not found" : "found");
    if (found != null) {
      assertThat(found.name()).isEqualTo(name);
    } else {
      assertThat(TABLE.all()).noneMatch(t -> t.name().equals(name));
    }
  }

  @Property
  void lookingUpAWireCodeFindsOnlyTheTagOfThatCode(@ForAll int code) {
    Tag found = TABLE.lookup(code);
    if (found != null) {
      assertThat(found.code()).isEqualTo(code & 0xffff);
    }
  }

  @Property
  void everyTagOfTheTableIsFoundByItsNameAndItsBytes(@ForAll("tableTags") Tag tag) {
    assertThat(TABLE.lookup(tag.name())).isSameAs(tag);
    assertThat(TABLE.lookup(Tag.code(tag.firstByte(), tag.secondByte()))).isSameAs(tag);
  }

  /**
   * Found by {@link #lookingUpANameFindsOnlyTheTagOfThatName}: the lookup kept only the low byte of
   * each character, so {@code "\u0141V"} (Ł, U+0141) found {@code AV}.
   */
  @Test
  void aNameWithACharacterAboveOneByteFindsNoTag() {
    assertThat(Tags.defaults().lookup("\u0141V")).isNull();
    assertThat(Tags.defaults().lookup("A\u0156")).isNull();
    assertThat(Tags.defaults().lookup("AV")).isSameAs(Tags.AV);
  }

  @Provide
  Arbitrary<byte[]> tagNameInputs() {
    return Mutations.of(Arbitraries.strings().withCharRange('!', '~').ofLength(2)
        .map(s -> s.getBytes(StandardCharsets.UTF_8)), 6);
  }

  @Provide
  Arbitrary<Tag> tableTags() {
    return Arbitraries.of(TABLE.all());
  }

  @Provide
  Arbitrary<String> lookupNames() {
    // A table name with each character possibly moved up by a multiple of 0x100 (same low byte),
    // or any short string.
    Arbitrary<String> aliased = Combinators.combine(Arbitraries.of(TABLE.all()),
        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255))
        .as((t, hi0, hi1) -> new String(new char[] {
            (char) (t.name().charAt(0) + (hi0 % 3 == 0 ? 0 : hi0 << 8)),
            (char) (t.name().charAt(1) + (hi1 % 3 == 0 ? 0 : hi1 << 8))}));
    return Arbitraries.oneOf(aliased, Arbitraries.strings().ofMaxLength(3));
  }
}
