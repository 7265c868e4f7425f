package io.gossipnet.core.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gossipnet.core.Tags;
import org.junit.jupiter.api.Test;

class LocalInterestTest {
  @Test
  void nothingIsAnnouncedBeforeTheFirstChange() {
    LocalInterest li = new LocalInterest();
    assertThat(li.current().announced()).isFalse();
    assertThat(li.current().generation()).isZero();
    assertThatThrownBy(() -> li.current().payloadFor(true))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRelayRegisteringStateProofsAnnouncesTheDefaultsPlusSp() {
    LocalInterest li = new LocalInterest();
    LocalInterest.Announcement a = li.register(Tags.SP);
    assertThat(a.generation()).isEqualTo(1);
    TagSet decoded = MessageOfInterest.decode(a.payloadFor(true), Tags.defaults());
    assertThat(decoded.contains(Tags.SP)).isTrue();
    assertThat(decoded.size()).isEqualTo(12);
  }

  @Test
  void onlyRealChangesBumpTheGeneration() {
    LocalInterest li = new LocalInterest();
    assertThat(li.deregister(Tags.TX).generation()).isEqualTo(1);
    assertThat(li.deregister(Tags.TX).generation()).isEqualTo(1);
    assertThat(li.register(Tags.TX).generation()).isEqualTo(2);
    assertThat(li.register(Tags.TX).generation()).isEqualTo(2);
    assertThat(li.current().tags()).contains(Tags.TX).doesNotContain(Tags.SP);
  }

  @Test
  void peersWithoutStatefulCompressionDoNotSeeVp() {
    LocalInterest.Announcement a = new LocalInterest().register(Tags.SP);
    assertThat(MessageOfInterest.decode(a.payloadFor(true), Tags.defaults()).contains(Tags.VP))
        .isTrue();
    assertThat(MessageOfInterest.decode(a.payloadFor(false), Tags.defaults()).contains(Tags.VP))
        .isFalse();
  }
}
