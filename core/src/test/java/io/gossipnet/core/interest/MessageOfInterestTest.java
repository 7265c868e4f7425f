package io.gossipnet.core.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import io.gossipnet.core.Topic;
import io.gossipnet.core.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageOfInterestTest {
  private static final Tags KNOWN = Tags.defaults();

  /** A body with a "tags" topic holding exactly this text. */
  private static byte[] body(String value) {
    return Topics.of(Topic.of("tags", value)).encode();
  }

  @Test
  void encodedTagsDecodeToTheSameSet() {
    List<Tag> tags = List.of(Tags.TX, Tags.AV, Tags.SP, Tags.MI);
    TagSet decoded = MessageOfInterest.decode(MessageOfInterest.encode(tags), KNOWN);
    assertThat(decoded).isEqualTo(TagSet.of(tags));
    assertThat(decoded.contains(Tags.SP)).isTrue();
    assertThat(decoded.contains(Tags.PP)).isFalse();
  }

  @Test
  void theEncodingIsOneTagsTopicWithSortedCommaSeparatedNames() {
    byte[] encoded = MessageOfInterest.encode(List.of(Tags.TX, Tags.AV, Tags.MI, Tags.TX));
    Topics topics = Topics.decode(encoded);
    assertThat(topics.list()).hasSize(1);
    assertThat(topics.getString("tags")).hasValue("AV,MI,TX");
    assertThat(encoded).isEqualTo(MessageOfInterest.encode(List.of(Tags.MI, Tags.AV, Tags.TX)));
  }

  @Test
  void theDefaultTableRoundTrips() {
    byte[] encoded = MessageOfInterest.encode(KNOWN.all());
    assertThat(MessageOfInterest.decode(encoded, KNOWN)).isEqualTo(TagSet.of(KNOWN.all()));
    assertThat(MessageOfInterest.maxEncodedSize(KNOWN)).isEqualTo(encoded.length);
    // 12 tags: 35 value bytes + "tags" + three one-byte varints.
    assertThat(encoded.length).isEqualTo(35 + 4 + 3);
    assertThat(encoded.length).isLessThanOrEqualTo(Tags.MI.maxPayloadSize());
  }

  @Test
  void applicationTagsRoundTripWithTheirTable() {
    Tag app = Tag.of("XA", 100, false, false);
    Tags table = Tags.defaultsPlus(app);
    TagSet decoded = MessageOfInterest.decode(MessageOfInterest.encode(List.of(app, Tags.AV)), table);
    assertThat(decoded.contains(app)).isTrue();
    assertThatThrownBy(() -> MessageOfInterest.decode(MessageOfInterest.encode(List.of(app)), KNOWN))
        .isInstanceOf(MalformedInterestException.class)
        .hasMessageContaining("XA");
  }

  @Test
  void deprecatedTagsAreSkipped() {
    TagSet decoded = MessageOfInterest.decode(body("pi,AV,pj,TX"), KNOWN);
    assertThat(decoded).isEqualTo(TagSet.of(Tags.AV, Tags.TX));
    assertThat(decoded.contains(Tags.PING)).isFalse();
    assertThat(MessageOfInterest.decode(body("pi"), KNOWN)).isEqualTo(TagSet.empty());
  }

  @Test
  void anUnknownTagIsRejected() {
    assertThatThrownBy(() -> MessageOfInterest.decode(body("AV,ZZ,TX"), KNOWN))
        .isInstanceOf(MalformedInterestException.class)
        .hasMessageContaining("unknown tag 'ZZ'");
  }

  @Test
  void aValueOverTheLimitIsRejected() {
    // 342 x "AV" separated by commas = 1025 bytes: valid tags, but too long.
    String tooLong = String.join(",", java.util.Collections.nCopies(342, "AV"));
    assertThat(tooLong).hasSize(1025);
    assertThatThrownBy(() -> MessageOfInterest.decode(body(tooLong), KNOWN))
        .isInstanceOf(MalformedInterestException.class)
        .hasMessageContaining("1025")
        .hasMessageContaining("1024");
    // 341 elements are 1022 bytes: accepted.
    String longest = "AV" + ",AV".repeat(339) + ",TX";
    assertThat(longest).hasSize(1022);
    assertThat(MessageOfInterest.decode(body(longest), KNOWN))
        .isEqualTo(TagSet.of(Tags.AV, Tags.TX));
    // Exactly 1024 bytes passes the length check and fails on the bad element instead.
    String exactly = "AV,".repeat(340) + "AVXX";
    assertThat(exactly).hasSize(1024);
    assertThatThrownBy(() -> MessageOfInterest.decode(body(exactly), KNOWN))
        .isInstanceOf(MalformedInterestException.class)
        .hasMessageContaining("expected 2");
  }

  @Test
  void tagsThatAreNotTwoBytesAreRejected() {
    for (String bad : List.of("AVX", "A", "AV,TXX", "AV,T", "AV,,TX", "AV,", ",AV", "", "AV TX")) {
      assertThatThrownBy(() -> MessageOfInterest.decode(body(bad), KNOWN))
          .as("'%s'", bad)
          .isInstanceOf(MalformedInterestException.class)
          .hasMessageContaining("expected 2");
    }
  }

  @Test
  void aMultiByteCharacterCountsAsBytes() {
    // "é" is two UTF-8 bytes: a two-byte element, but not a known tag.
    byte[] value = "é".getBytes(StandardCharsets.UTF_8);
    byte[] payload = Topics.of(new Topic("tags", value)).encode();
    assertThatThrownBy(() -> MessageOfInterest.decode(payload, KNOWN))
        .isInstanceOf(MalformedInterestException.class)
        .hasMessageContaining("unknown tag '0xc3a9'");
  }

  @Test
  void malformedTopicsAreRejected() {
    byte[] good = body("AV,TX");
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    for (byte[] bad : List.of(truncated, trailing, new byte[0], new byte[] {(byte) 0xff})) {
      assertThatThrownBy(() -> MessageOfInterest.decode(bad, KNOWN))
          .isInstanceOf(MalformedInterestException.class)
          .hasMessageContaining("cannot decode topics")
          .hasCauseInstanceOf(Topics.MalformedTopicsException.class);
    }
  }

  @Test
  void aBodyWithoutTheTagsTopicIsRejected() {
    byte[] payload = Topics.of(Topic.of("tag", "AV")).encode();
    assertThatThrownBy(() -> MessageOfInterest.decode(payload, KNOWN))
        .isInstanceOf(MalformedInterestException.class)
        .hasMessageContaining("no 'tags' topic");
    assertThatThrownBy(() -> MessageOfInterest.decode(Topics.empty().encode(), KNOWN))
        .isInstanceOf(MalformedInterestException.class);
  }

  @Test
  void otherTopicsBesideTagsAreIgnored() {
    byte[] payload = Topics.of(Topic.of("x", "y"), Topic.of("tags", "AV")).encode();
    assertThat(MessageOfInterest.decode(payload, KNOWN)).isEqualTo(TagSet.of(Tags.AV));
  }

  @Test
  void theDefaultSendSetExcludesStateProofSignatures() {
    assertThat(MessageOfInterest.defaultSendTags())
        .containsExactlyInAnyOrder(
            Tags.AV, Tags.MS, Tags.NP, Tags.NI, Tags.PP, Tags.TS, Tags.MI, Tags.TX, Tags.UE,
            Tags.VB, Tags.VP)
        .doesNotContain(Tags.SP);
    TagSet set = MessageOfInterest.defaultSendSet();
    assertThat(set.contains(Tags.SP)).isFalse();
    assertThat(set.contains(Tags.AV)).isTrue();
    assertThat(set.size()).isEqualTo(11);
  }

  @Test
  void encodingRejectsEmptyAndOversizedLists() {
    assertThatThrownBy(() -> MessageOfInterest.encode(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    List<Tag> many = new ArrayList<>();
    for (char a = 'A'; a <= 'Z'; a++) {
      for (char b = 'a'; b <= 'z'; b++) {
        many.add(Tag.of("" + a + b, 1, false, false));
      }
    }
    assertThat(many).hasSizeGreaterThan(342);
    assertThatThrownBy(() -> MessageOfInterest.encode(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds 1024");
    // 341 tags is exactly 1022 bytes and fits.
    Tags table = Tags.of(many.subList(0, 341));
    assertThat(MessageOfInterest.decode(MessageOfInterest.encode(many.subList(0, 341)), table).size())
        .isEqualTo(341);
  }
}
