package dev.faascell.bench;

import java.util.List;
import java.util.Locale;

/** Percentiles of a sample of durations in nanoseconds, reported in milliseconds. */
record Stats(int n, double p50Ms, double p90Ms, double p99Ms, double minMs, double maxMs) {
  static Stats of(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return new Stats(0, 0, 0, 0, 0, 0);
    }
    return new Stats(sorted.length, ms(pick(sorted, 0.50)), ms(pick(sorted, 0.90)), ms(pick(sorted, 0.99)),
        ms(sorted[0]), ms(sorted[sorted.length - 1]));
  }

  private static long pick(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  String row(String label) {
    return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f |", label, n, p50Ms, p90Ms, p99Ms, maxMs);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "n=%d p50=%.3fms p90=%.3fms p99=%.3fms min=%.3fms max=%.3fms", n, p50Ms, p90Ms,
        p99Ms, minMs, maxMs);
  }
}
