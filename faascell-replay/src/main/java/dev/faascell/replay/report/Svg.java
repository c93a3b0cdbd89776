package dev.faascell.replay.report;

import java.util.Locale;

/**
 * Builds one inline SVG element: the few shapes the report's plots need. Each carries its own style,
 * so that a plot cut out of the report is a complete SVG file (for a paper or a README).
 */
final class Svg {
  private static final String STYLE = "text { font-family: system-ui, sans-serif; font-size: 11px; fill: #333; }"
      + " text.axis-title { font-size: 12px; } text.note { fill: #999; font-size: 14px; }"
      + " line.grid { stroke: #e4e4e4; } line.grid-minor { stroke: #f2f2f2; } line.axis { stroke: #444; }";
  private final StringBuilder body = new StringBuilder();
  private final int width;
  private final int height;
  private final String title;

  Svg(int width, int height, String title) {
    this.width = width;
    this.height = height;
    this.title = title;
  }

  void line(double x1, double y1, double x2, double y2, String cssClass) {
    body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>",
        x1, y1, x2, y2, cssClass));
  }

  /** A polyline through the points; {@code dash} is an SVG dash array, empty for a solid line. */
  void polyline(double[] xs, double[] ys, String color, String dash) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
    }
    body.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(color).append('"')
        .append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"")
        .append(" points=\"").append(points.toString().trim()).append("\"/>");
  }

  void rect(double x, double y, double w, double h, String color, double opacity) {
    body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>",
        x, y, Math.max(0, w), Math.max(0, h), color, opacity < 1 ? String.format(Locale.ROOT, " fill-opacity=\"%.2f\"", opacity) : ""));
  }

  /** Text at (x, y); anchor start, middle or end; rotated by {@code degrees} around its anchor. */
  void text(double x, double y, String text, String anchor, double degrees, String cssClass) {
    body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchor));
    if (degrees != 0) {
      body.append(String.format(Locale.ROOT, " transform=\"rotate(%.0f %.1f %.1f)\"", degrees, x, y));
    }
    body.append(cssClass.isEmpty() ? "" : " class=\"" + cssClass + "\"").append('>').append(Html.escape(text)).append("</text>");
  }

  String render() {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 "
        + width + " " + height + "\" role=\"img\" aria-label=\"" + Html.escape(title) + "\"><title>" + Html.escape(title)
        + "</title><style>" + STYLE + "</style>" + body + "</svg>";
  }
}
