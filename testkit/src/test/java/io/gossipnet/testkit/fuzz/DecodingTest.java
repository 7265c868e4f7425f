package io.gossipnet.testkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.Test;

class DecodingTest {
  @Test
  void aDeclaredRefusalIsARefusal() {
    assertThat(Decoding.check(new byte[] {1}, 1 << 20, b -> {
      throw new IOException("bad");
    }, IOException.class)).isEqualTo(Decoding.Outcome.REFUSED);
  }

  @Test
  void anUndeclaredExceptionFailsTheCase() {
    assertThatThrownBy(() -> Decoding.check(new byte[] {1, 2}, 1 << 20, b -> b[5], IOException.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArrayIndexOutOfBoundsException")
        .hasMessageContaining("0102");
  }

  @Test
  void anAllocationOverTheLimitFailsTheCase() {
    assertThatThrownBy(() -> Decoding.check(new byte[] {1}, 64 * 1024, b -> new byte[1 << 20], IOException.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("more than its limit of 65536");
  }

  @Property(tries = 200)
  void mutationsOfAValidEncodingStayNearIt(@ForAll("mutated") byte[] input) {
    // At most three mutations, each adding at most 16 bytes (a repeated span); random inputs are
    // at most 64 bytes.
    assertThat(input.length).isLessThanOrEqualTo(64 + 3 * 16);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Mutations.of(Arbitraries.bytes().array(byte[].class).ofSize(64), 64);
  }
}
