package dev.faascell.replay.report;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {
  private final double[] sorted;

  Percentiles(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The smallest value with at least {@code fraction} of the sample at or below it; null for an empty sample. */
  Double at(double fraction) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
