package dev.faascell.simulator.cli;

import dev.faascell.simulator.SimulationProgress;
import java.io.PrintStream;
import java.util.Locale;

/** The simulation's progress on stderr: virtual time done of the planned, invocations, speed. */
final class SimulationProgressBar implements SimulationProgress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final long plannedNanos;
  private final long startedAt = System.nanoTime();
  private final boolean terminal = System.console() != null;
  private long lastPrinted;

  SimulationProgressBar(PrintStream out, long plannedNanos) {
    this.out = out;
    this.plannedNanos = plannedNanos;
  }

  @Override
  public void update(long invocations, long virtualNanos) {
    long now = System.nanoTime();
    // a line a few times a second on a terminal, every 5 s into a file
    if (now - lastPrinted > (terminal ? 200_000_000L : 5_000_000_000L)) {
      lastPrinted = now;
      out.print(terminal ? "\r" + line(invocations, virtualNanos) : line(invocations, virtualNanos) + "\n");
      out.flush();
    }
  }

  @Override
  public void finish(long invocations, long virtualNanos) {
    out.print((terminal ? "\r" : "") + line(invocations, virtualNanos) + "\n");
    out.flush();
  }

  private String line(long invocations, long virtualNanos) {
    double fraction = plannedNanos <= 0 ? 1 : Math.min(1, (double) virtualNanos / plannedNanos);
    int filled = (int) Math.round(WIDTH * fraction);
    double wall = (System.nanoTime() - startedAt) / 1e9;
    return String.format(Locale.ROOT, "simulate [%s%s] %.1f of %.1f virtual hours, %d invocations, %.1f s (%.0f/s)",
        "#".repeat(filled), "-".repeat(WIDTH - filled), virtualNanos / 3.6e12, plannedNanos / 3.6e12, invocations, wall,
        wall == 0 ? 0 : invocations / wall);
  }
}
