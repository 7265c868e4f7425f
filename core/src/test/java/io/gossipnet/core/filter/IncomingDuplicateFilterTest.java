package io.gossipnet.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.gossipnet.core.Tags;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IncomingDuplicateFilterTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRepeatedVoteIsReportedAsDuplicate() {
    IncomingDuplicateFilter f = new IncomingDuplicateFilter();
    assertThat(f.isDuplicate(Tags.AV, bytes("vote"))).isFalse();
    assertThat(f.isDuplicate(Tags.AV, bytes("vote"))).isTrue();
    assertThat(f.isDuplicate(Tags.AV, bytes("other vote"))).isFalse();
  }

  @Test
  void theSamePayloadUnderAnotherTagIsNotADuplicate() {
    IncomingDuplicateFilter f = new IncomingDuplicateFilter();
    assertThat(f.isDuplicate(Tags.AV, bytes("x"))).isFalse();
    assertThat(f.isDuplicate(Tags.TX, bytes("x"))).isFalse();
    assertThat(f.isDuplicate(Tags.TX, bytes("x"))).isTrue();
  }

  @Test
  void tagsThatAreNotDedupSafeAreNeverDuplicates() {
    IncomingDuplicateFilter f = new IncomingDuplicateFilter();
    assertThat(f.isDuplicate(Tags.PP, bytes("proposal"))).isFalse();
    assertThat(f.isDuplicate(Tags.PP, bytes("proposal"))).isFalse();
    assertThat(f.isDuplicate(Tags.VB, bytes("bundle"))).isFalse();
    assertThat(f.isDuplicate(Tags.VB, bytes("bundle"))).isFalse();
  }

  @Test
  void filtersWithDifferentNoncesKeyMessagesDifferently() {
    byte[] n1 = new byte[16];
    byte[] n2 = new byte[16];
    n2[0] = 9;
    assertThat(Digest.salted(n1, Tags.TX, bytes("t"))).isNotEqualTo(Digest.salted(n2, Tags.TX, bytes("t")));
    IncomingDuplicateFilter f = new IncomingDuplicateFilter(5, 512, n1);
    assertThat(f.isDuplicate(Tags.TX, bytes("t"))).isFalse();
    assertThat(f.isDuplicate(Tags.TX, bytes("t"))).isTrue();
  }

  @Test
  void oldMessagesAreForgotten() {
    IncomingDuplicateFilter f = new IncomingDuplicateFilter(2, 2);
    f.isDuplicate(Tags.TX, bytes("a"));
    f.isDuplicate(Tags.TX, bytes("b"));
    f.isDuplicate(Tags.TX, bytes("c"));
    f.isDuplicate(Tags.TX, bytes("d"));
    assertThat(f.isDuplicate(Tags.TX, bytes("a"))).isFalse();
  }
}
