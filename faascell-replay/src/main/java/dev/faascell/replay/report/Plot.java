package dev.faascell.replay.report;

import java.util.List;

/**
 * One chart: a plot area with axes, grid, tick labels, axis titles with units and a legend below it,
 * drawn onto an {@link Svg}. Shapes are given in data coordinates.
 */
final class Plot {
  private static final int DEFAULT_WIDTH = 760;
  /** Room per bar, so that a chart of many functions grows wider instead of squeezing its bars. */
  private static final int PIXELS_PER_BAR = 14;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 16;
  private static final int AXIS_SPACE = 44;
  private static final int LEGEND_ROW = 18;
  private static final int LEGEND_COLUMN = 180;

  /** One legend entry: a line (dash may be empty) or a filled box. */
  record Legend(String label, String color, String dash, boolean box) {
    static Legend line(String label, String color, String dash) {
      return new Legend(label, color, dash, false);
    }

    static Legend box(String label, String color) {
      return new Legend(label, color, "", true);
    }
  }

  private final int width;
  private final Svg svg;
  private final Scale x;
  private final Scale y;
  private final double plotBottom;
  private final int legendTop;
  private final List<Legend> legend;

  /**
   * @param bottomSpace room under the plot area for the x tick labels and title (long category labels need more)
   */
  private Plot(String title, int width, int plotHeight, int bottomSpace, Axis xAxis, Axis yAxis, List<Legend> legend) {
    this.width = width;
    int legendRows = (legend.size() + legendColumns() - 1) / legendColumns();
    this.legend = legend;
    this.plotBottom = TOP + plotHeight;
    this.legendTop = TOP + plotHeight + bottomSpace;
    this.svg = new Svg(width, legendTop + legendRows * LEGEND_ROW + 6, title);
    this.x = xAxis.scale(LEFT, width - RIGHT);
    this.y = yAxis.scale(plotBottom, TOP);
  }

  /**
   * How an axis maps values, built once the plot knows the axis's pixel range (for the y axis, from
   * is the bottom: pixels grow downwards).
   */
  interface Axis {
    Scale scale(double pixelFrom, double pixelTo);
  }

  /** A plot with numeric axes titled {@code xTitle} and {@code yTitle}. */
  static Plot numeric(String title, Axis xAxis, String xTitle, Axis yAxis, String yTitle, List<Legend> legend) {
    Plot plot = new Plot(title, DEFAULT_WIDTH, 260, AXIS_SPACE, xAxis, yAxis, legend);
    plot.grid(true);
    plot.svg.text((LEFT + plot.width - RIGHT) / 2.0, plot.plotBottom + 36, xTitle, "middle", 0, "axis-title");
    plot.yTitle(yTitle);
    return plot;
  }

  /**
   * A plot whose x axis holds {@code categories}, one slot of {@code barsPerCategory} bars each,
   * labelled at a slant.
   */
  static Plot categorical(String title, List<String> categories, int barsPerCategory, String xTitle, Axis yAxis, String yTitle,
                          List<Legend> legend) {
    int longest = categories.stream().mapToInt(String::length).max().orElse(0);
    int labelSpace = (int) Math.min(160, 14 + longest * 4.5);
    int width = Math.max(DEFAULT_WIDTH, LEFT + RIGHT + categories.size() * (barsPerCategory + 1) * PIXELS_PER_BAR);
    Plot plot = new Plot(title, width, 240, labelSpace + 24,
        (from, to) -> Scale.linear(0, Math.max(1, categories.size()), from, to), yAxis, legend);
    plot.grid(false);
    for (int i = 0; i < categories.size(); i++) {
      double center = plot.x.px(i + 0.5);
      plot.svg.text(center + 3, plot.plotBottom + 12, categories.get(i), "end", -40, "tick");
    }
    plot.svg.text((LEFT + width - RIGHT) / 2.0, plot.plotBottom + labelSpace + 18, xTitle, "middle", 0, "axis-title");
    plot.yTitle(yTitle);
    return plot;
  }

  private int legendColumns() {
    return (width - LEFT) / LEGEND_COLUMN;
  }

  private void yTitle(String yTitle) {
    svg.text(16, (TOP + plotBottom) / 2, yTitle, "middle", -90, "axis-title");
  }

  private void grid(boolean xTicks) {
    for (double tick : y.ticks()) {
      double py = y.px(tick);
      svg.line(LEFT, py, width - RIGHT, py, "grid");
      svg.text(LEFT - 6, py + 4, y.label(tick), "end", 0, "tick");
    }
    if (xTicks) {
      for (double tick : x.minorTicks()) {
        svg.line(x.px(tick), TOP, x.px(tick), plotBottom, "grid-minor");
      }
      for (double tick : x.ticks()) {
        double px = x.px(tick);
        svg.line(px, TOP, px, plotBottom, "grid");
        svg.text(px, plotBottom + 16, x.label(tick), "middle", 0, "tick");
      }
    }
    svg.line(LEFT, plotBottom, width - RIGHT, plotBottom, "axis");
    svg.line(LEFT, TOP, LEFT, plotBottom, "axis");
  }

  void line(double[] xs, double[] ys, String color, String dash) {
    double[] px = new double[xs.length];
    double[] py = new double[ys.length];
    for (int i = 0; i < xs.length; i++) {
      px[i] = x.px(xs[i]);
      py[i] = y.px(ys[i]);
    }
    svg.polyline(px, py, color, dash);
  }

  /** A filled box between data coordinates. */
  void box(double x0, double x1, double y0, double y1, String color, double opacity) {
    double left = x.px(x0);
    double top = y.px(y1);
    svg.rect(left, top, x.px(x1) - left, y.px(y0) - top, color, opacity);
  }

  /** A square marker of {@code size} pixels at data coordinates, labelled beside it. */
  void point(double px, double py, String color, double size, String label) {
    double cx = x.px(px);
    double cy = y.px(py);
    svg.rect(cx - size / 2, cy - size / 2, size, size, color, 1);
    svg.text(cx + size, cy - size / 2, label, "start", 0, "legend");
  }

  /** A note in the middle of the plot area, e.g. that there is nothing to plot. */
  void note(String text) {
    svg.text((LEFT + width - RIGHT) / 2.0, (TOP + plotBottom) / 2, text, "middle", 0, "note");
  }

  String render() {
    int columns = legendColumns();
    for (int i = 0; i < legend.size(); i++) {
      Legend entry = legend.get(i);
      double lx = LEFT + (i % columns) * LEGEND_COLUMN;
      double ly = legendTop + (i / columns) * LEGEND_ROW;
      if (entry.box()) {
        svg.rect(lx, ly + 3, 18, 10, entry.color(), 1);
      } else {
        svg.polyline(new double[] {lx, lx + 18}, new double[] {ly + 8, ly + 8}, entry.color(), entry.dash());
      }
      svg.text(lx + 24, ly + 12, entry.label(), "start", 0, "legend");
    }
    return svg.render();
  }
}
