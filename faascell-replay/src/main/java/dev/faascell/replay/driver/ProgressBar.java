package dev.faascell.replay.driver;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress bar on a terminal, redrawn in place; elsewhere (a log, a pipe) a plain line every few
 * seconds, so the log stays readable.
 */
public final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private static final Duration PLAIN_LINE_INTERVAL = Duration.ofSeconds(5);
  private final PrintStream out;
  private final boolean terminal;
  private Duration lastPlainLine = Duration.ofDays(-1);

  public ProgressBar(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** A bar on standard error, redrawn in place if a terminal is attached. */
  public static ProgressBar onStandardError() {
    return new ProgressBar(System.err, System.console() != null);
  }

  @Override
  public synchronized void update(Progress progress) {
    if (terminal) {
      out.print("\r" + line(progress));
    } else if (progress.elapsed().minus(lastPlainLine).compareTo(PLAIN_LINE_INTERVAL) >= 0) {
      out.println(line(progress));
      lastPlainLine = progress.elapsed();
    } else {
      return;
    }
    out.flush();
  }

  @Override
  public synchronized void finish(Progress progress) {
    out.print(terminal ? "\r" + line(progress) + "\n" : line(progress) + "\n");
    out.flush();
  }

  static String line(Progress progress) {
    int filled = (int) Math.round(WIDTH * progress.fraction());
    String sent = progress.total() >= 0 ? progress.sent() + "/" + progress.total() : Integer.toString(progress.sent());
    return String.format("replay [%s%s] %s sent, %d done, %d late, %d failed, %s", "#".repeat(filled),
        "-".repeat(WIDTH - filled), sent, progress.completed(), progress.late(), progress.failed(), clock(progress));
  }

  private static String clock(Progress progress) {
    String elapsed = String.format("%.1fs", progress.elapsed().toMillis() / 1000.0);
    return progress.total() >= 0 ? elapsed : elapsed + "/" + String.format("%.0fs", progress.planned().toMillis() / 1000.0);
  }
}
