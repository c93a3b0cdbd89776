package dev.faascell.replay.report;

import java.util.List;
import java.util.Map;

/** Colours: one per run where runs are overlaid, one per start kind where kinds are. */
final class Palette {
  private static final List<String> RUNS = List.of("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
      "#e377c2", "#17becf");
  static final Map<String, String> START_KINDS = Map.of("warm", "#2ca02c", "restore", "#1f77b4", "cold", "#d62728");
  static final String FAILED = "#9e9e9e";
  /** Start kinds told apart by dash when colour tells the runs apart. */
  static final Map<String, String> START_KIND_DASHES = Map.of("warm", "", "restore", "7 3", "cold", "2 3");

  private Palette() {
  }

  static String run(int index) {
    return RUNS.get(index % RUNS.size());
  }
}
