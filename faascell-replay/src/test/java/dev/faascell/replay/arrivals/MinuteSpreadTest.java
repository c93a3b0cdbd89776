package dev.faascell.replay.arrivals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MinuteSpreadTest {
  private static final List<Integer> COUNTS = List.of(0, 1, 2, 7, 60, 0, 333, 1);

  @ParameterizedTest
  @EnumSource(MinuteSpread.class)
  void everyMinuteKeepsExactlyItsCountWithinItself(MinuteSpread spread) {
    double[] seconds = secondsOf(COUNTS, spread, new Random(5));
    assertThat(seconds).hasSize(COUNTS.stream().mapToInt(Integer::intValue).sum());
    int[] perMinute = new int[COUNTS.size()];
    for (double second : seconds) {
      assertThat(second).isGreaterThanOrEqualTo(0).isLessThan(60.0 * COUNTS.size());
      perMinute[(int) (second / 60)]++;
    }
    assertThat(perMinute).containsExactly(COUNTS.stream().mapToInt(Integer::intValue).toArray());
    for (int i = 1; i < seconds.length; i++) {
      assertThat(seconds[i]).isGreaterThanOrEqualTo(seconds[i - 1]);
    }
  }

  @ParameterizedTest
  @EnumSource(MinuteSpread.class)
  void theSameSeedSpreadsTheSameWay(MinuteSpread spread) {
    assertThat(secondsOf(COUNTS, spread, new Random(11)))
        .containsExactly(secondsOf(COUNTS, spread, new Random(11)));
  }

  @Test
  void randomSpreadsDependOnTheSeed() {
    assertThat(MinuteSpread.EXPONENTIAL.secondsWithinMinute(10, new Random(1)))
        .isNotEqualTo(MinuteSpread.EXPONENTIAL.secondsWithinMinute(10, new Random(2)));
    assertThat(MinuteSpread.UNIFORM.secondsWithinMinute(10, new Random(1)))
        .isNotEqualTo(MinuteSpread.UNIFORM.secondsWithinMinute(10, new Random(2)));
  }

  @Test
  void equidistantSpacesInvocationsEvenlyFromTheMinutesStart() {
    assertThat(MinuteSpread.EQUIDISTANT.secondsWithinMinute(4, new Random(1))).containsExactly(0, 15, 30, 45);
    double[] seconds = secondsOf(List.of(3, 3), MinuteSpread.EQUIDISTANT, new Random(1));
    for (int i = 1; i < seconds.length; i++) {
      assertThat(seconds[i] - seconds[i - 1]).isCloseTo(20, within(1e-9));
    }
  }

  @Test
  void exponentialGapsAreAsVariableAsPoissonAndUniformGapsLess() {
    // a Poisson process's gaps have a coefficient of variation of 1; uniform gaps about 1/sqrt(3)
    assertThat(gapVariation(MinuteSpread.EXPONENTIAL)).isCloseTo(1.0, within(0.05));
    assertThat(gapVariation(MinuteSpread.UNIFORM)).isCloseTo(1 / Math.sqrt(3), within(0.05));
    assertThat(gapVariation(MinuteSpread.EQUIDISTANT)).isCloseTo(0, within(1e-9));
  }

  private static double gapVariation(MinuteSpread spread) {
    double[] seconds = spread.secondsWithinMinute(5000, new Random(3));
    double[] gaps = new double[seconds.length - 1];
    for (int i = 1; i < seconds.length; i++) {
      gaps[i - 1] = seconds[i] - seconds[i - 1];
    }
    double mean = Arrays.stream(gaps).average().orElseThrow();
    double variance = Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).average().orElseThrow();
    return Math.sqrt(variance) / mean;
  }

  @Test
  void spreadsAreNamedInAnyCase() {
    assertThat(MinuteSpread.parse("Uniform")).isEqualTo(MinuteSpread.UNIFORM);
    assertThat(MinuteSpread.EXPONENTIAL).hasToString("exponential");
    assertThatThrownBy(() -> MinuteSpread.parse("gamma")).hasMessageContaining("uniform, exponential, equidistant");
  }

  /** Each minute's count spread over its minute, as the Azure workload does a minute at a time. */
  private static double[] secondsOf(List<Integer> countsPerMinute, MinuteSpread spread, Random random) {
    List<Double> seconds = new java.util.ArrayList<>();
    for (int minute = 0; minute < countsPerMinute.size(); minute++) {
      for (double within : spread.secondsWithinMinute(countsPerMinute.get(minute), random)) {
        seconds.add(minute * MinuteSpread.MINUTE_SECONDS + within);
      }
    }
    return seconds.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
