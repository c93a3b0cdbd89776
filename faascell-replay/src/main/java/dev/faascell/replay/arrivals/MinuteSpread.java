package dev.faascell.replay.arrivals;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * How a minute's invocation count is spread over the minute. The trace only says how many invocations
 * a minute had; the three spreads are three assumptions about how bursty they were, from none to a
 * Poisson process's. They follow vHive's trace loader: the minute is cut into gaps drawn from a
 * distribution and scaled to fill it.
 */
public enum MinuteSpread {
  /** Invocations evenly spaced from the start of the minute, 60/n s apart: no burstiness. */
  EQUIDISTANT,
  /**
   * Gaps drawn uniformly, then scaled: more regular than Poisson (the gaps' coefficient of variation
   * is about 0.58 instead of 1). Placing each invocation uniformly in the minute instead would be
   * the same distribution as {@link #EXPONENTIAL}.
   */
  UNIFORM,
  /** Exponential gaps, scaled: a Poisson process conditioned on the minute's count. */
  EXPONENTIAL;

  public static final double MINUTE_SECONDS = 60.0;

  /** The spread named {@code name}, in any case. */
  public static MinuteSpread parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown spread '" + name + "'; known: uniform, exponential, equidistant", e);
    }
  }

  /** {@code count} arrival times in seconds within [0, 60), ascending. */
  public double[] secondsWithinMinute(int count, Random random) {
    double[] seconds = new double[count];
    if (this == EQUIDISTANT) {
      for (int i = 0; i < count; i++) {
        seconds[i] = i * MINUTE_SECONDS / count;
      }
      return seconds;
    }
    // count + 1 gaps: one before each arrival and one after the last, so that no arrival is pinned to
    // either end of the minute
    double[] gaps = new double[count + 1];
    double sum = 0;
    for (int i = 0; i <= count; i++) {
      gaps[i] = this == UNIFORM ? random.nextDouble() : -Math.log(1 - random.nextDouble());
      sum += gaps[i];
    }
    double elapsed = 0;
    for (int i = 0; i < count; i++) {
      elapsed += gaps[i];
      // sum is 0 only if every gap drew exactly 0; then they all share the minute's start
      seconds[i] = sum == 0 ? 0 : Math.min(elapsed / sum * MINUTE_SECONDS, Math.nextDown(MINUTE_SECONDS));
    }
    Arrays.sort(seconds);   // rounding in the division could reorder equal gaps by one ulp
    return seconds;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
