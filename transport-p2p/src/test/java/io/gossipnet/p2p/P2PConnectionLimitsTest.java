package io.gossipnet.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The seed's {@code deriveConnLimits}, with the vectors of its own tests. */
class P2PConnectionLimitsTest {

  @Test
  void aListenServerWith2400IncomingAndFanout4() {
    P2PConnectionLimits l = P2PConnectionLimits.derive(4, true, 2400, false);
    assertThat(l).isEqualTo(new P2PConnectionLimits(2412, 2400, 12, 2412, 2315));
    assertThat(l.trimming()).isTrue();
  }

  @Test
  void aClientWithFanout4() {
    P2PConnectionLimits l = P2PConnectionLimits.derive(4, false, 2400, false);
    assertThat(l).isEqualTo(new P2PConnectionLimits(24, 0, 12, 12, 8));
  }

  @Test
  void aClientIgnoresTheIncomingLimitEvenUnlimited() {
    assertThat(P2PConnectionLimits.derive(4, false, -1, false)).isEqualTo(P2PConnectionLimits.derive(4, false, 2400, false));
  }

  @Test
  void dhtProvidersDoubleTheOutboundConnections() {
    assertThat(P2PConnectionLimits.derive(4, true, 2400, true))
        .isEqualTo(new P2PConnectionLimits(2424, 2400, 24, 2424, 2327));
    assertThat(P2PConnectionLimits.derive(4, false, 0, true)).isEqualTo(new P2PConnectionLimits(36, 0, 24, 24, 8));
  }

  @Test
  void anUnlimitedServerHasNoConnectionCapAndNoTrimming() {
    P2PConnectionLimits l = P2PConnectionLimits.derive(4, true, -1, false);
    assertThat(l).isEqualTo(new P2PConnectionLimits(P2PConnectionLimits.UNLIMITED, P2PConnectionLimits.UNLIMITED, 12, 0, 0));
    assertThat(l.trimming()).isFalse();
  }

  @Test
  void aZeroFanoutClientHasZeroEverywhere() {
    assertThat(P2PConnectionLimits.derive(0, false, 0, false)).isEqualTo(new P2PConnectionLimits(0, 0, 0, 0, 0));
  }

  @Test
  void theLowWatermarkIs96PercentRoundedDown() {
    // 12 + 88 = 100 -> 96; 12 + 13 = 25 -> 24
    assertThat(P2PConnectionLimits.derive(4, true, 88, false).connMgrLow()).isEqualTo(96);
    assertThat(P2PConnectionLimits.derive(4, true, 13, false).connMgrLow()).isEqualTo(24);
  }

  @Test
  void theGracePeriodIs20Seconds() {
    assertThat(P2PConnectionLimits.GRACE_PERIOD).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> P2PConnectionLimits.derive(-1, false, 0, false)).hasMessageContaining("gossipFanout");
    assertThatThrownBy(() -> P2PConnectionLimits.derive(4, true, Integer.MAX_VALUE, false))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> new P2PConnectionLimits(10, 0, 0, 5, 6)).isInstanceOf(IllegalArgumentException.class);
  }
}
