package dev.faascell.replay.report;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The report: one self-contained HTML file (inline CSS, inline SVG drawn here; no script, no external
 * resource, so it opens offline and can be mailed or archived) with the headline numbers of one or
 * more runs side by side and four plots.
 */
public final class HtmlReport {
  public static final List<String> PLOT_TITLES = List.of(LatencyCdfFigure.TITLE, StartKindShareFigure.TITLE,
      NodeFigure.TITLE, ColdStartRateFigure.TITLE);
  static final String STYLE = """
      body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 900px; color: #222; }
      h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; } h3 { font-size: 14px; }
      table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
      th, td { padding: 3px 10px; text-align: left; border-bottom: 1px solid #eee; vertical-align: top; }
      thead th { border-bottom: 2px solid #999; } tr.section th { background: #f3f3f3; font-weight: 600; }
      td { font-variant-numeric: tabular-nums; }
      .caption { font-size: 13px; color: #555; }
      svg { display: block; margin: 8px 0 16px; }
      """;

  private HtmlReport() {
  }

  public static String render(List<RunData> runs) {
    String names = runs.stream().map(RunData::name).collect(Collectors.joining(" vs "));
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>FaaSCell replay: " + Html.escape(names)
        + "</title><style>" + STYLE + "</style></head><body>"
        + "<h1>FaaSCell replay: " + Html.escape(names) + "</h1>"
        + "<h2>Summary</h2>" + HeadlineTable.render(runs)
        + section(LatencyCdfFigure.TITLE, LatencyCdfFigure.render(runs))
        + section(StartKindShareFigure.TITLE, StartKindShareFigure.render(runs))
        + section(NodeFigure.TITLE, NodeFigure.render(runs))
        + section(ColdStartRateFigure.TITLE, ColdStartRateFigure.render(runs))
        + "<h2>Parameters</h2>" + HeadlineTable.parameters(runs)
        + "</body></html>\n";
  }

  private static String section(String title, String content) {
    return "<h2>" + Html.escape(title) + "</h2>" + content;
  }
}
