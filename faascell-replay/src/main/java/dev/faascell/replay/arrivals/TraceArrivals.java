package dev.faascell.replay.arrivals;

import java.util.List;
import java.util.Random;

/** Arrival times of one trace function: each minute's count spread over its minute. */
public final class TraceArrivals {
  private TraceArrivals() {
  }

  /**
   * Arrival times in trace seconds from the start of the first minute, ascending; minute {@code i} of
   * {@code countsPerMinute} covers [60 i, 60 (i + 1)).
   */
  public static double[] seconds(List<Integer> countsPerMinute, MinuteSpread spread, Random random) {
    int total = countsPerMinute.stream().mapToInt(Integer::intValue).sum();
    double[] seconds = new double[total];
    int next = 0;
    for (int minute = 0; minute < countsPerMinute.size(); minute++) {
      for (double within : spread.secondsWithinMinute(countsPerMinute.get(minute), random)) {
        seconds[next++] = minute * MinuteSpread.MINUTE_SECONDS + within;
      }
    }
    return seconds;
  }
}
