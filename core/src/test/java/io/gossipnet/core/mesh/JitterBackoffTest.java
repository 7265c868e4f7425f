package io.gossipnet.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JitterBackoffTest {
  private static final Duration MIN = JitterBackoff.DEFAULT_MIN;
  private static final Duration MAX = JitterBackoff.DEFAULT_MAX;

  @Test
  void theFirstDelayIsTheMinimum() {
    JitterBackoff b = new JitterBackoff(MIN, MAX, 3.0, new Random(1));
    assertThat(b.nextDelay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void eachDelayStaysWithinMinAndMaxAndBelowBaseTimesThePrevious() {
    for (long seed = 0; seed < 50; seed++) {
      JitterBackoff b = new JitterBackoff(MIN, MAX, 3.0, new Random(seed));
      Duration previous = b.nextDelay();
      for (int i = 0; i < 30; i++) {
        Duration d = b.nextDelay();
        assertThat(d).isBetween(MIN, MAX);
        long upper = (long) (previous.toNanos() * 3.0);
        assertThat(d.toNanos()).isLessThanOrEqualTo(Math.max(upper, MIN.toNanos()));
        previous = d;
      }
    }
  }

  @Test
  void theSequenceGrowsTowardsTheMaximum() {
    JitterBackoff b = new JitterBackoff(MIN, MAX, 3.0, new Random(42));
    Duration largest = Duration.ZERO;
    for (int i = 0; i < 50; i++) {
      Duration d = b.nextDelay();
      largest = d.compareTo(largest) > 0 ? d : largest;
    }
    assertThat(largest).isEqualTo(MAX);
  }

  @Test
  void resetStartsOverAtTheMinimum() {
    JitterBackoff b = new JitterBackoff(MIN, MAX, 3.0, new Random(7));
    for (int i = 0; i < 10; i++) {
      b.nextDelay();
    }
    b.reset();
    assertThat(b.nextDelay()).isEqualTo(MIN);
  }

  @Test
  void meshDefaultIsTwoToSixtySeconds() {
    JitterBackoff b = JitterBackoff.meshDefault();
    assertThat(b.nextDelay()).isEqualTo(Duration.ofSeconds(2));
    for (int i = 0; i < 20; i++) {
      assertThat(b.nextDelay()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(60));
    }
  }

  @Test
  void rejectsBadParameters() {
    Random r = new Random();
    assertThatThrownBy(() -> new JitterBackoff(Duration.ZERO, MAX, 3.0, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JitterBackoff(MAX, MIN, 3.0, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JitterBackoff(MIN, MAX, 1.0, r))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
