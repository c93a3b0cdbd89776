package dev.faascell.replay.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentileDistributionTest {
  private static final double[] DURATION_POINTS = {0, 0.01, 0.25, 0.5, 0.75, 0.99, 1};
  private final PercentileDistribution durations =
      new PercentileDistribution(DURATION_POINTS, new double[] {10, 20, 100, 200, 400, 900, 1000});

  @Test
  void theListedPercentilesAreHitExactlyAndInterpolatedBetween() {
    assertThat(durations.valueAt(0)).isEqualTo(10);
    assertThat(durations.valueAt(0.5)).isEqualTo(200);
    assertThat(durations.valueAt(1)).isEqualTo(1000);
    assertThat(durations.valueAt(0.625)).isCloseTo(300, within(1e-9));
    assertThat(durations.valueAt(0.995)).isCloseTo(950, within(1e-9));
  }

  @Test
  void theInverseCdfNeverDecreases() {
    double previous = durations.valueAt(0);
    for (int i = 1; i <= 10_000; i++) {
      double value = durations.valueAt(i / 10_000.0);
      assertThat(value).isGreaterThanOrEqualTo(previous);
      previous = value;
    }
  }

  @Test
  void samplesStayBetweenMinimumAndMaximumAndFollowTheMedian() {
    Random random = new Random(7);
    int belowMedian = 0;
    for (int i = 0; i < 20_000; i++) {
      double sample = durations.sample(random);
      assertThat(sample).isBetween(10.0, 1000.0);
      belowMedian += sample < 200 ? 1 : 0;
    }
    assertThat(belowMedian / 20_000.0).isCloseTo(0.5, within(0.02));
  }

  @Test
  void percentilesPublishedOutOfOrderAreMadeMonotone() {
    PercentileDistribution rounded = new PercentileDistribution(DURATION_POINTS, new double[] {5, 5, 4, 6, 6, 9, 8});
    assertThat(rounded.valueAt(0.25)).isEqualTo(5);
    assertThat(rounded.max()).isEqualTo(9);
  }
}
