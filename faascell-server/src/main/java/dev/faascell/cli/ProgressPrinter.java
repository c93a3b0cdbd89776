package dev.faascell.cli;

import dev.faascell.guest.image.BuildProgress;
import java.io.PrintStream;

/** Shows the image build's progress: a bar redrawn in place on a terminal, one line per step otherwise. */
final class ProgressPrinter implements BuildProgress {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final boolean terminal;
  private final long started = System.nanoTime();

  ProgressPrinter(PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
  }

  @Override
  public void step(int step, int steps, String description) {
    int filled = WIDTH * step / steps;
    String bar = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    String line = String.format("image %s %d/%d %-44s %5.1fs", bar, step, steps, description,
        (System.nanoTime() - started) / 1e9);
    if (terminal) {
      out.print("\r" + line + (step == steps ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }
}
