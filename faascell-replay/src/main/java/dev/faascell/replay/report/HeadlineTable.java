package dev.faascell.replay.report;

import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.report.Summary.LatencyStats;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The report's table of summary numbers: a row per number, a column per run. */
final class HeadlineTable {
  private HeadlineTable() {
  }

  static String render(List<RunData> runs) {
    List<Summary> summaries = runs.stream().map(RunData::summary).toList();
    StringBuilder html = new StringBuilder("<table class=\"headline\"><thead><tr><th></th>");
    runs.forEach(run -> html.append("<th>").append(Html.escape(run.name())).append("</th>"));
    html.append("</tr></thead><tbody>");
    Row rows = new Row(html, runs, summaries);

    rows.section("run");
    rows.add("source", (run, s) -> run.description().source());
    rows.add("node URL", (run, s) -> run.description().url());
    rows.add("started", (run, s) -> run.startedAt());
    rows.add("seed", (run, s) -> run.description().seed() == null ? "–" : run.description().seed().toString());
    rows.add("speed-up", (run, s) -> run.description().speedUp() == null ? "–" : number(run.description().speedUp()) + "×");
    rows.add("functions deployed", (run, s) -> Integer.toString(run.description().functions().size()));
    rows.add("replay time (s)", (run, s) -> number(run.elapsedMs() / 1000));

    rows.section("invocations");
    rows.add("invocations", (run, s) -> Integer.toString(s.invocations()));
    TreeSet<String> outcomes = new TreeSet<>();
    summaries.forEach(s -> outcomes.addAll(s.byOutcome().keySet()));
    outcomes.remove(InvocationRecord.OK);
    rows.add("succeeded (HTTP 200)", (run, s) -> share(s.byOutcome().getOrDefault(InvocationRecord.OK, 0L), s.invocations()));
    for (String outcome : outcomes) {
      rows.add("failed: " + outcome, (run, s) -> share(s.byOutcome().getOrDefault(outcome, 0L), s.invocations()));
    }
    rows.add("late (sent over the threshold after due)", (run, s) -> share(s.late(), s.invocations())
        + " (threshold " + number(run.description().lateThresholdMs()) + " ms, max " + number(s.maxLatenessMs()) + " ms)");

    rows.section("start kinds");
    for (String kind : Summary.START_KINDS) {
      rows.add(kind, (run, s) -> share(s.byStartKind().get(kind), s.invocations()));
    }
    rows.add("no start kind (failed)", (run, s) -> share(s.byStartKind().get(Summary.NO_START_KIND), s.invocations()));

    rows.section("latency of successful invocations, client-measured (ms)");
    for (String kind : List.of(Summary.ALL, "warm", "restore", "cold")) {
      rows.add(kind + ": p50 / p90 / p99", (run, s) -> latency(s.latencyMs().get(kind)));
    }

    rows.section("node");
    rows.add("max memory reserved (MiB)", (run, s) -> s.node().maxMemoryReservedMb() + " of " + s.node().memoryCapacityMb());
    rows.add("max VMs", (run, s) -> Integer.toString(s.node().maxVms()));
    rows.add("status samples (failed polls)", (run, s) -> s.node().samples() + " (" + s.node().pollFailures() + ")");
    html.append("</tbody></table>");
    return html.toString();
  }

  /** The parameters each run was given, one row per parameter. */
  static String parameters(List<RunData> runs) {
    TreeSet<String> keys = new TreeSet<>();
    runs.forEach(run -> keys.addAll(run.description().parameters().keySet()));
    StringBuilder html = new StringBuilder("<table class=\"parameters\"><thead><tr><th>parameter</th>");
    runs.forEach(run -> html.append("<th>").append(Html.escape(run.name())).append("</th>"));
    html.append("</tr></thead><tbody>");
    for (String key : keys) {
      html.append("<tr><th>").append(Html.escape(key)).append("</th>");
      for (RunData run : runs) {
        html.append("<td>").append(Html.escape(run.description().parameters().getOrDefault(key, "–"))).append("</td>");
      }
      html.append("</tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private interface Cell {
    String value(RunData run, Summary summary);
  }

  /** Appends rows to the table. */
  private record Row(StringBuilder html, List<RunData> runs, List<Summary> summaries) {
    void section(String title) {
      html.append("<tr class=\"section\"><th colspan=\"").append(runs.size() + 1).append("\">").append(Html.escape(title))
          .append("</th></tr>");
    }

    void add(String label, Cell cell) {
      html.append("<tr><th>").append(Html.escape(label)).append("</th>");
      for (int i = 0; i < runs.size(); i++) {
        html.append("<td>").append(Html.escape(cell.value(runs.get(i), summaries.get(i)))).append("</td>");
      }
      html.append("</tr>");
    }
  }

  private static String share(long count, int total) {
    return total == 0 ? Long.toString(count) : String.format(Locale.ROOT, "%d (%.1f%%)", count, 100.0 * count / total);
  }

  private static String latency(LatencyStats stats) {
    if (stats.count() == 0) {
      return "–";
    }
    return number(stats.p50()) + " / " + number(stats.p90()) + " / " + number(stats.p99()) + " (n=" + stats.count() + ")";
  }

  static String number(double value) {
    return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
  }
}
