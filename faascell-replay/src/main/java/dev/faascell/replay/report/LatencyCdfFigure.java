package dev.faascell.replay.report;

import dev.faascell.replay.driver.InvocationRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * (a) The CDF of client-measured latency of successful invocations, one line per start kind, on a
 * log-scale x axis (warm starts take milliseconds, cold ones seconds). One run: a colour per kind;
 * several: a colour per run and a dash per kind.
 */
final class LatencyCdfFigure {
  static final String TITLE = "Latency CDF by start kind";
  /** A CDF drawn through this many quantiles looks the same as one through every point, at any run size. */
  private static final int QUANTILES = 400;

  private LatencyCdfFigure() {
  }

  private record Curve(String label, String color, String dash, double[] latencies) {}

  static String render(List<RunData> runs) {
    List<Curve> curves = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      for (String kind : Summary.START_KINDS) {
        double[] latencies = runs.get(r).invocations().stream()
            .filter(i -> i.succeeded() && i.startKind().equals(kind)).mapToDouble(InvocationRecord::latencyMs).toArray();
        if (latencies.length > 0) {
          String label = (runs.size() == 1 ? "" : runs.get(r).name() + " ") + kind + " (n=" + latencies.length + ")";
          curves.add(runs.size() == 1 ? new Curve(label, Palette.START_KINDS.get(kind), "", latencies)
              : new Curve(label, Palette.run(r), Palette.START_KIND_DASHES.get(kind), latencies));
        }
      }
    }
    double min = curves.stream().flatMapToDouble(c -> Arrays.stream(c.latencies())).min().orElse(1);
    double max = curves.stream().flatMapToDouble(c -> Arrays.stream(c.latencies())).max().orElse(1000);
    Plot plot = Plot.numeric(TITLE, (from, to) -> Scale.log(Math.max(0.01, min), Math.max(0.01, max), from, to),
        "latency, client-measured (ms, log scale)", (from, to) -> Scale.linear(0, 1, from, to, v -> v * 100),
        "invocations at or below (%)", curves.stream().map(c -> Plot.Legend.line(c.label(), c.color(), c.dash())).toList());
    if (curves.isEmpty()) {
      plot.note("no successful invocations");
    }
    for (Curve curve : curves) {
      plot.line(cdfX(curve.latencies()), cdfY(), curve.color(), curve.dash());
    }
    return plot.render();
  }

  private static double[] cdfX(double[] latencies) {
    Percentiles percentiles = new Percentiles(latencies);
    double[] xs = new double[QUANTILES + 1];
    for (int q = 0; q <= QUANTILES; q++) {
      xs[q] = Math.max(0.01, percentiles.at((double) q / QUANTILES));
    }
    return xs;
  }

  private static double[] cdfY() {
    double[] ys = new double[QUANTILES + 1];
    for (int q = 0; q <= QUANTILES; q++) {
      ys[q] = (double) q / QUANTILES;
    }
    return ys;
  }
}
