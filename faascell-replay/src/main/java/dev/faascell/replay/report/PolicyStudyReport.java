package dev.faascell.replay.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a keep-alive policy study (after the FaasCache paper's figure): for each policy and
 * setting, the share of invocations that needed a new VM against the memory its idle VMs held, one
 * point each, and the table of the same figures. Self-contained HTML, as the replay report.
 */
public final class PolicyStudyReport {
  public static final String FIGURE_TITLE = "Cold-start rate vs memory held by idle VMs";

  private PolicyStudyReport() {
  }

  /**
   * One policy and setting of the study.
   *
   * @param coldOrRestoreRate invocations that needed a cold boot or a restore, of the successful ones
   * @param idleGbSeconds memory held by idle VMs over the run (GiB x s)
   * @param cpuSeconds the simulation's CPU time (one core)
   */
  public record Point(String policy, String setting, long invocations, long cold, long restore, long warm, long failed,
                      double coldOrRestoreRate, double coldRate, double idleGbSeconds, double p50Ms, double p99Ms,
                      double cpuSeconds) {
    public String label() {
      return setting.isEmpty() ? policy : policy + " " + setting;
    }
  }

  public static String render(String title, List<Point> points, Map<String, String> parameters) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
        + "</title><style>" + HtmlReport.STYLE + "</style></head><body>"
        + "<h1>" + Html.escape(title) + "</h1>"
        + "<h2>" + Html.escape(FIGURE_TITLE) + "</h2>" + figure(points)
        + "<p class=\"caption\">One point per keep-alive policy and setting: lower left is better (fewer new VMs for "
        + "less idle memory). New VMs are cold boots and restores.</p>"
        + "<h2>Results</h2>" + table(points)
        + "<h2>Parameters</h2>" + parametersTable(parameters)
        + "</body></html>\n";
  }

  private static String figure(List<Point> points) {
    double maxGb = points.stream().mapToDouble(Point::idleGbSeconds).max().orElse(1);
    double maxRate = points.stream().mapToDouble(Point::coldOrRestoreRate).max().orElse(1);
    Map<String, String> colors = new LinkedHashMap<>();
    points.forEach(p -> colors.computeIfAbsent(p.policy(), k -> Palette.run(colors.size())));
    List<Plot.Legend> legend = new ArrayList<>();
    colors.forEach((policy, color) -> legend.add(Plot.Legend.box(policy, color)));
    Plot plot = Plot.numeric(FIGURE_TITLE, (from, to) -> Scale.linear(0, Math.max(1e-9, maxGb) * 1.15, from, to),
        "memory held by idle VMs (GB-seconds)", (from, to) -> Scale.linear(0, Math.min(1, maxRate * 1.15 + 0.01), from, to,
            v -> v * 100), "new VMs (cold + restore), % of invocations", legend);
    if (points.isEmpty()) {
      plot.note("no runs");
    }
    for (Point point : points) {
      plot.point(point.idleGbSeconds(), point.coldOrRestoreRate(), colors.get(point.policy()), 8, point.setting());
    }
    return plot.render();
  }

  private static String table(List<Point> points) {
    StringBuilder html = new StringBuilder("<table><thead><tr><th>policy</th><th>setting</th><th>invocations</th>"
        + "<th>cold</th><th>restore</th><th>warm</th><th>failed</th><th>new VMs %</th><th>cold %</th>"
        + "<th>idle GB-s</th><th>p50 ms</th><th>p99 ms</th><th>CPU s to simulate</th></tr></thead><tbody>");
    for (Point p : points) {
      html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
              + "<td>%d</td><td>%.3f</td><td>%.3f</td><td>%.0f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>",
          Html.escape(p.policy()), Html.escape(p.setting()), p.invocations(), p.cold(), p.restore(), p.warm(), p.failed(),
          p.coldOrRestoreRate() * 100, p.coldRate() * 100, p.idleGbSeconds(), p.p50Ms(), p.p99Ms(), p.cpuSeconds()));
    }
    return html.append("</tbody></table>").toString();
  }

  private static String parametersTable(Map<String, String> parameters) {
    StringBuilder html = new StringBuilder("<table><tbody>");
    parameters.forEach((key, value) -> html.append("<tr><th>").append(Html.escape(key)).append("</th><td>")
        .append(Html.escape(value)).append("</td></tr>"));
    return html.append("</tbody></table>").toString();
  }
}
