package dev.faascell.replay.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Bar charts for the benchmarks' reports, drawn like the replay report's figures: one bar per
 * category (e.g. its median), optionally a whisker up to another value (e.g. its p99), on a log or
 * linear axis; and the page around them.
 */
public final class BarFigure {
  private static final String BAR = "#1f77b4";
  private static final String WHISKER = "#444";

  /** One bar: its label, its height and, if whiskered, how high its whisker reaches (NaN: none). */
  public record Bar(String label, double value, double whiskerTo) {}

  private BarFigure() {
  }

  /**
   * A chart of {@code bars}, whose heights the legend calls {@code valueLabel} (e.g. median) and whose
   * whiskers {@code whiskerLabel}; {@code log} draws the y axis in decades (for values spanning orders of
   * magnitude, e.g. a cold boot beside a warm call).
   */
  public static String render(String title, List<Bar> bars, String yTitle, boolean log, String valueLabel,
                              String whiskerLabel) {
    double max = bars.stream().mapToDouble(b -> Double.isNaN(b.whiskerTo()) ? b.value() : Math.max(b.value(), b.whiskerTo()))
        .max().orElse(1);
    double min = bars.stream().mapToDouble(Bar::value).filter(v -> v > 0).min().orElse(1);
    List<Plot.Legend> legend = new ArrayList<>(List.of(Plot.Legend.box(valueLabel, BAR)));
    if (bars.stream().anyMatch(b -> !Double.isNaN(b.whiskerTo()))) {
      legend.add(Plot.Legend.line(whiskerLabel, WHISKER, ""));
    }
    Plot plot = Plot.categorical(title, bars.stream().map(Bar::label).toList(), 1, "", log
        ? (from, to) -> Scale.log(min, max, from, to) : (from, to) -> Scale.linear(0, max, from, to), yTitle, legend);
    double floor = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      plot.box(i + 0.2, i + 0.8, floor, Math.max(floor, bar.value()), BAR, 0.85);
      if (!Double.isNaN(bar.whiskerTo())) {
        plot.line(new double[] {i + 0.5, i + 0.5}, new double[] {bar.value(), bar.whiskerTo()}, WHISKER, "");
        plot.line(new double[] {i + 0.4, i + 0.6}, new double[] {bar.whiskerTo(), bar.whiskerTo()}, WHISKER, "");
      }
    }
    return plot.render();
  }

  /** A self-contained page (inline style and SVG, nothing external) of {@code sections}: title → HTML. */
  public static String page(String title, List<String[]> sections) {
    StringBuilder body = new StringBuilder();
    for (String[] section : sections) {
      body.append("<h2>").append(Html.escape(section[0])).append("</h2>").append(section[1]);
    }
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
        + "</title><style>" + HtmlReport.STYLE + "</style></head><body><h1>" + Html.escape(title) + "</h1>" + body
        + "</body></html>\n";
  }
}
