package dev.faascell.replay.report;

import dev.faascell.replay.driver.StatusSample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * (c) The node over time from its status samples: memory reserved by VMs, and VMs alive (solid) and
 * busy (dashed); one colour per run.
 */
final class NodeFigure {
  static final String TITLE = "Node memory reserved and VM count over time";

  private NodeFigure() {
  }

  static String render(List<RunData> runs) {
    long capacity = runs.stream().flatMap(r -> r.status().stream()).mapToLong(StatusSample::memoryCapacityMb).max().orElse(0);
    String caption = "<p class=\"caption\">Sampled from GET /v1/status once per second"
        + (capacity > 0 ? "; the node's memory capacity is " + capacity + " MiB" : "") + ".</p>";
    return caption
        + chart(runs, "memory reserved", "memory reserved (MiB)", List.of(new Series("", "", StatusSample::memoryReservedMb)))
        + chart(runs, "VMs", "VMs", List.of(new Series("VMs", "", StatusSample::vms), new Series("busy", "6 3", StatusSample::busy)));
  }

  private record Series(String label, String dash, ToDoubleFunction<StatusSample> value) {}

  private static String chart(List<RunData> runs, String what, String yTitle, List<Series> series) {
    double seconds = runs.stream().flatMap(r -> r.status().stream()).mapToDouble(s -> s.elapsedMs() / 1000).max().orElse(0);
    double top = runs.stream().flatMap(r -> r.status().stream())
        .mapToDouble(s -> series.stream().mapToDouble(line -> line.value().applyAsDouble(s)).max().orElse(0)).max().orElse(0);
    List<Plot.Legend> legend = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      for (Series line : series) {
        legend.add(Plot.Legend.line((runs.get(r).name() + " " + line.label()).trim(), Palette.run(r), line.dash()));
      }
    }
    Plot plot = Plot.numeric(TITLE + ": " + what, (from, to) -> Scale.linear(0, seconds, from, to), "replay time (s)",
        (from, to) -> Scale.linear(0, top, from, to), yTitle, legend);
    if (runs.stream().allMatch(r -> r.status().isEmpty())) {
      plot.note("no status samples");
    }
    for (int r = 0; r < runs.size(); r++) {
      List<StatusSample> samples = runs.get(r).status();
      for (Series line : series) {
        plot.line(samples.stream().mapToDouble(s -> s.elapsedMs() / 1000).toArray(),
            samples.stream().mapToDouble(line.value()).toArray(), Palette.run(r), line.dash());
      }
    }
    return plot.render();
  }
}
