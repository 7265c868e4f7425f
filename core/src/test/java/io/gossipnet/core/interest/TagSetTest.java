package io.gossipnet.core.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.Tag;
import io.gossipnet.core.Tags;
import org.junit.jupiter.api.Test;

class TagSetTest {
  @Test
  void containsTheTagsItWasBuiltFromAndNoOthers() {
    TagSet s = TagSet.of(Tags.AV, Tags.TX, Tags.AV);
    assertThat(s.contains(Tags.AV)).isTrue();
    assertThat(s.contains(Tags.TX.code())).isTrue();
    assertThat(s.contains(Tag.code((byte) 'A', (byte) 'V'))).isTrue();
    assertThat(s.contains(Tags.PP)).isFalse();
    assertThat(s.contains(Tags.SP)).isFalse();
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.names()).containsExactly("AV", "TX");
    assertThat(s).hasToString("TagSet[AV,TX]");
  }

  @Test
  void codesOutsidePrintableAsciiAreNeverContained() {
    TagSet s = TagSet.of(Tags.defaults().all());
    assertThat(s.contains(0)).isFalse();
    assertThat(s.contains(Tag.code((byte) 0x00, (byte) 'V'))).isFalse();
    assertThat(s.contains(Tag.code((byte) 'A', (byte) 0xff))).isFalse();
    assertThat(s.contains(-1)).isFalse();
    assertThat(s.contains(0x1_4156)).isFalse();
    assertThat(s.contains(Tag.code((byte) '~', (byte) '~'))).isFalse();
  }

  @Test
  void theExtremePrintableTagsFit() {
    Tag lowest = Tag.of("!!", 1, false, false);
    Tag highest = Tag.of("~~", 1, false, false);
    TagSet s = TagSet.of(lowest, highest);
    assertThat(s.contains(lowest)).isTrue();
    assertThat(s.contains(highest)).isTrue();
    assertThat(s.contains(Tags.AV)).isFalse();
    assertThat(s.names()).containsExactly("!!", "~~");
  }

  @Test
  void allAcceptsEverything() {
    assertThat(TagSet.ALL.contains(Tags.SP)).isTrue();
    assertThat(TagSet.ALL.contains(0)).isTrue();
    assertThat(TagSet.ALL.contains(Tag.code((byte) 'z', (byte) 'z'))).isTrue();
    assertThat(TagSet.ALL.isAll()).isTrue();
    assertThatThrownBy(TagSet.ALL::size).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void emptyAcceptsNothing() {
    assertThat(TagSet.empty().contains(Tags.AV)).isFalse();
    assertThat(TagSet.of()).isEqualTo(TagSet.empty());
    assertThat(TagSet.empty().size()).isZero();
    assertThat(TagSet.empty().isAll()).isFalse();
  }

  @Test
  void setsWithTheSameTagsAreEqual() {
    assertThat(TagSet.of(Tags.TX, Tags.AV))
        .isEqualTo(TagSet.of(Tags.AV, Tags.TX))
        .hasSameHashCodeAs(TagSet.of(Tags.AV, Tags.TX))
        .isNotEqualTo(TagSet.of(Tags.AV))
        .isNotEqualTo(TagSet.ALL);
  }
}
