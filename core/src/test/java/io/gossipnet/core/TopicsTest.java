package io.gossipnet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void topicsRoundTripThroughTheWireFormat() {
    Topics t = Topics.of(Topic.of("a", "1"), new Topic("bb", new byte[] {0, 1, 2}));
    Topics back = Topics.decode(t.encode());
    assertThat(back).isEqualTo(t);
    assertThat(back.getString("a")).contains("1");
    assertThat(back.get("bb").orElseThrow()).containsExactly(0, 1, 2);
  }

  @Test
  void theEncodingIsCountThenKeyAndDataWithUvarintLengths() {
    byte[] enc = Topics.of(Topic.of("k", "vv")).encode();
    assertThat(enc).containsExactly(1, 1, 'k', 2, 'v', 'v');
  }

  @Test
  void moreThan32TopicsAreRefusedOnBothSides() {
    List<Topic> many = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      many.add(Topic.of("k" + i, "v"));
    }
    assertThatThrownBy(() -> Topics.of(many)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Topics.decode(new byte[] {33})).hasMessageContaining("too many topics");
  }

  @Test
  void truncatedOrOversizedInputIsRejectedBeforeAllocating() {
    assertThatThrownBy(() -> Topics.decode(new byte[] {})).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Topics.decode(new byte[] {1, 1, 'k', 5, 'v'})).hasMessageContaining("truncated");
    // a declared data length of 2^40 bytes must fail on the limit, not on an allocation
    assertThatThrownBy(() -> Topics.decode(new byte[] {1, 1, 'k', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20}))
        .hasMessageContaining("data length");
    assertThatThrownBy(() -> Topics.decode(new byte[] {1, 0})).hasMessageContaining("key length");
    assertThatThrownBy(() -> Topics.decode(new byte[] {1, 65})).hasMessageContaining("key length");
    assertThatThrownBy(() -> Topics.decode(new byte[] {0, 0})).hasMessageContaining("trailing");
  }

  @Test
  void aVarintLongerThan64BitsIsRejected() {
    byte[] in = new byte[11];
    java.util.Arrays.fill(in, (byte) 0xff);
    assertThatThrownBy(() -> Topics.decode(in)).hasMessageContaining("varint");
  }

  @Test
  void theRequestHashIsStableAndDependsOnTheBytes() {
    byte[] a = Topics.of(Topic.of("nonce", "1")).encode();
    byte[] b = Topics.of(Topic.of("nonce", "2")).encode();
    assertThat(Topics.hash(a)).isEqualTo(Topics.hash(a.clone()));
    assertThat(Topics.hash(a)).isNotEqualTo(Topics.hash(b));
  }

  @Test
  void uvarintRoundTrips() {
    for (long v : new long[] {0, 1, 127, 128, 300, Long.MAX_VALUE, -1L}) {
      assertThat(Topics.readUvarint(Topics.uvarint(v))).isEqualTo(v);
    }
  }
}
