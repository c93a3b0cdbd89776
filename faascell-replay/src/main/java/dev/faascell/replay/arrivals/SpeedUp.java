package dev.faascell.replay.arrivals;

/**
 * How much faster than the trace the replay runs: 60 plays one trace minute per wall-clock second.
 * Only arrivals are compressed; each invocation still runs for its trace duration.
 */
public record SpeedUp(double factor) {
  public static final SpeedUp REAL_TIME = new SpeedUp(1);

  public SpeedUp {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("the speed-up must be a positive number, got " + factor);
    }
  }

  /** Wall-clock nanoseconds from the replay's start for a time in trace seconds from the window's start. */
  public long wallNanos(double traceSeconds) {
    return Math.round(traceSeconds / factor * 1e9);
  }
}
