package io.gossipnet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TagTest {

  @Test
  void theDefaultTableHasTheSeedsSizesAndPriorities() {
    assertThat(Tags.AV.maxPayloadSize()).isEqualTo(1228);
    assertThat(Tags.PP.maxPayloadSize()).isEqualTo(5_250_618);
    assertThat(Tags.TX.maxPayloadSize()).isEqualTo(5_000_000);
    assertThat(Tags.MI.maxPayloadSize()).isEqualTo(48);
    assertThat(Tags.MS.maxPayloadSize()).isEqualTo(69);
    assertThat(Tags.TS.maxPayloadSize()).isEqualTo(6 * 1024 * 1024);
    assertThat(Tags.AV.highPriority()).isTrue();
    assertThat(Tags.PP.highPriority()).isTrue();
    assertThat(Tags.TX.highPriority()).isFalse();
    assertThat(Tags.AV.dedupSafe()).isTrue();
    assertThat(Tags.TX.dedupSafe()).isTrue();
    assertThat(Tags.PP.dedupSafe()).isFalse();
  }

  @Test
  void lookupByCodeAndName() {
    Tags t = Tags.defaults();
    assertThat(t.lookup(Tag.code((byte) 'T', (byte) 'X'))).isSameAs(Tags.TX);
    assertThat(t.lookup("AV")).isSameAs(Tags.AV);
    assertThat(t.lookup("ZZ")).isNull();
    assertThat(t.lookup("pi")).as("deprecated tags are not active").isNull();
    assertThat(t.isDeprecated(Tags.PING.code())).isTrue();
  }

  @Test
  void tagsAreTwoPrintableAsciiCharactersWithoutComma() {
    assertThatThrownBy(() -> Tag.of("A", 1, false, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tag.of("ABC", 1, false, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tag.of("A,", 1, false, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tag.of("A\u00e9", 1, false, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tag.of("AB", -1, false, false)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void applicationTagsExtendTheDefaults() {
    Tag mine = Tag.of("ZZ", 100, false, true);
    Tags t = Tags.defaultsPlus(mine);
    assertThat(t.lookup("ZZ")).isSameAs(mine);
    assertThat(t.lookup("TX")).isSameAs(Tags.TX);
    assertThatThrownBy(() -> Tags.defaultsPlus(Tag.of("TX", 1, false, false))).hasMessageContaining("twice");
  }
}
