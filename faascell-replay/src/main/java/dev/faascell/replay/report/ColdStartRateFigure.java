package dev.faascell.replay.report;

import dev.faascell.replay.report.Summary.FunctionStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * (d) Each function's cold-start rate: its cold starts (solid) and restores (light) as a share of its
 * successful invocations, a bar per run side by side. Functions are ordered by invocations, most first.
 */
final class ColdStartRateFigure {
  static final String TITLE = "Per-function cold-start rate";
  private static final double GROUP_WIDTH = 0.8;
  private static final double RESTORE_OPACITY = 0.4;

  private ColdStartRateFigure() {
  }

  static String render(List<RunData> runs) {
    List<Map<String, FunctionStats>> statsByRun = new ArrayList<>();
    Map<String, Long> invocations = new LinkedHashMap<>();
    for (RunData run : runs) {
      Map<String, FunctionStats> stats = new LinkedHashMap<>();
      for (FunctionStats function : run.summary().functions()) {
        stats.put(function.function(), function);
        invocations.merge(function.function(), function.invocations(), Long::sum);
      }
      statsByRun.add(stats);
    }
    List<String> functions = invocations.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).toList();

    List<Plot.Legend> legend = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      String prefix = runs.size() == 1 ? "" : runs.get(r).name() + " ";
      legend.add(Plot.Legend.box(prefix + "cold", Palette.run(r)));
      legend.add(Plot.Legend.box(prefix + "restore", lighter(Palette.run(r))));
    }
    Plot plot = Plot.categorical(TITLE, functions, runs.size(), "function", (from, to) -> Scale.linear(0, 1, from, to, v -> v * 100),
        "cold starts, of successful invocations (%)", legend);
    if (functions.isEmpty()) {
      plot.note("no invocations");
    }
    double barWidth = GROUP_WIDTH / runs.size();
    for (int f = 0; f < functions.size(); f++) {
      for (int r = 0; r < runs.size(); r++) {
        FunctionStats stats = statsByRun.get(r).get(functions.get(f));
        if (stats == null || stats.ok() == 0) {
          continue;
        }
        double left = f + (1 - GROUP_WIDTH) / 2 + r * barWidth;
        double cold = (double) stats.cold() / stats.ok();
        double restore = (double) stats.restore() / stats.ok();
        plot.box(left, left + barWidth * 0.92, 0, cold, Palette.run(r), 1);
        plot.box(left, left + barWidth * 0.92, cold, cold + restore, Palette.run(r), RESTORE_OPACITY);
      }
    }
    return plot.render();
  }

  /** The colour a restore bar shows: the run's colour at the restore opacity over white. */
  private static String lighter(String color) {
    int rgb = Integer.parseInt(color.substring(1), 16);
    int[] channels = {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
    StringBuilder light = new StringBuilder("#");
    for (int channel : channels) {
      light.append(String.format(Locale.ROOT, "%02x", (int) Math.round(255 - (255 - channel) * RESTORE_OPACITY)));
    }
    return light.toString();
  }
}
