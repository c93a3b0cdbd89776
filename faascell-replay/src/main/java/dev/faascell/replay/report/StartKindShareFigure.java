package dev.faascell.replay.report;

import dev.faascell.replay.driver.InvocationRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * (b) How the invocations sent in each time bin of the replay started: cold, restore, warm, or failed
 * without a start kind, stacked to 100%. One chart per run (stacked shares do not overlay), all on the
 * same time axis.
 */
final class StartKindShareFigure {
  static final String TITLE = "Cold, restore and warm share over time";
  private static final int MAX_BINS = 120;
  private static final int[] BIN_SECONDS = {10, 30, 60, 120, 300, 600, 1800, 3600};
  private static final List<String> STACK = List.of("cold", "restore", "warm");

  private StartKindShareFigure() {
  }

  /** 10 s bins, or wider ones when 10 s would make more than 120. */
  static int binSeconds(double seconds) {
    for (int bin : BIN_SECONDS) {
      if (seconds / bin <= MAX_BINS) {
        return bin;
      }
    }
    return BIN_SECONDS[BIN_SECONDS.length - 1];
  }

  static String render(List<RunData> runs) {
    double seconds = runs.stream().flatMap(r -> r.invocations().stream()).mapToDouble(i -> i.sentMs() / 1000).max().orElse(0);
    int bin = binSeconds(seconds);
    int bins = (int) Math.floor(seconds / bin) + 1;
    StringBuilder html = new StringBuilder("<p class=\"caption\">Share of the invocations sent in each " + bin
        + " s of replay time.</p>");
    List<Plot.Legend> legend = new ArrayList<>();
    STACK.forEach(kind -> legend.add(Plot.Legend.box(kind, Palette.START_KINDS.get(kind))));
    legend.add(Plot.Legend.box("failed, no start kind", Palette.FAILED));
    for (RunData run : runs) {
      long[][] counts = new long[bins][STACK.size() + 1];
      for (InvocationRecord invocation : run.invocations()) {
        int kind = STACK.indexOf(invocation.startKind());
        counts[(int) (invocation.sentMs() / 1000 / bin)][kind < 0 ? STACK.size() : kind]++;
      }
      Plot plot = Plot.numeric(TITLE + ": " + run.name(), (from, to) -> Scale.linear(0, bins * (double) bin, from, to),
          "replay time (s)", (from, to) -> Scale.linear(0, 1, from, to, v -> v * 100), "share of invocations (%)", legend);
      if (run.invocations().isEmpty()) {
        plot.note("no invocations");
      }
      for (int b = 0; b < bins; b++) {
        long total = Arrays.stream(counts[b]).sum();
        double below = 0;
        for (int k = 0; k <= STACK.size() && total > 0; k++) {
          double share = (double) counts[b][k] / total;
          String color = k < STACK.size() ? Palette.START_KINDS.get(STACK.get(k)) : Palette.FAILED;
          plot.box(b * (double) bin, (b + 1) * (double) bin, below, below + share, color, 1);
          below += share;
        }
      }
      html.append(runs.size() > 1 ? "<h3>" + Html.escape(run.name()) + "</h3>" : "").append(plot.render());
    }
    return html.toString();
  }
}
