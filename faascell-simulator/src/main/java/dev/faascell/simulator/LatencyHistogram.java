package dev.faascell.simulator;

/**
 * Latencies of a long run without keeping them: counts in buckets 1% wide on a log scale from 0.01 ms
 * to about 11 days, so any percentile is known to within 1%.
 */
public final class LatencyHistogram {
  private static final double MIN_MS = 0.01;
  private static final double GROWTH = Math.log(1.01);
  private static final int BUCKETS = 2600;
  private final long[] counts = new long[BUCKETS];
  private long total;

  public void add(double ms) {
    int bucket = ms <= MIN_MS ? 0 : (int) Math.min(BUCKETS - 1, Math.log(ms / MIN_MS) / GROWTH);
    counts[bucket]++;
    total++;
  }

  public long count() {
    return total;
  }

  /** The latency at percentile {@code p} (0-100), the middle of its bucket; NaN when empty. */
  public double percentile(double p) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(p / 100 * total);
    long seen = 0;
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      seen += counts[bucket];
      if (seen >= Math.max(1, rank)) {
        return MIN_MS * Math.exp((bucket + 0.5) * GROWTH);
      }
    }
    return MIN_MS * Math.exp(BUCKETS * GROWTH);
  }
}
