package dev.faascell.replay.driver;

import java.time.Duration;

/**
 * How far a replay is.
 *
 * @param total invocations scheduled; -1 for a closed loop, which runs for {@code planned} instead
 */
public record Progress(int sent, int total, int completed, int late, int failed, Duration elapsed, Duration planned) {
  /** From 0 to 1: invocations sent of those scheduled, or time elapsed of the planned time. */
  public double fraction() {
    if (total >= 0) {
      return total == 0 ? 1 : (double) sent / total;
    }
    return planned.isZero() ? 1 : Math.min(1, (double) elapsed.toNanos() / planned.toNanos());
  }
}
