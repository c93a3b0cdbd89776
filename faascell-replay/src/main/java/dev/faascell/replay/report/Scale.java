package dev.faascell.replay.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** Maps data values onto pixels along one axis, linear or logarithmic, with round tick values. */
final class Scale {
  private static final int TARGET_TICKS = 5;
  private final double min;
  private final double max;
  private final boolean log;
  private final double pixelFrom;
  private final double pixelTo;
  private final double step;
  private final DoubleUnaryOperator labelValue;

  private Scale(double min, double max, boolean log, double pixelFrom, double pixelTo, double step, DoubleUnaryOperator labelValue) {
    this.min = min;
    this.max = max;
    this.log = log;
    this.pixelFrom = pixelFrom;
    this.pixelTo = pixelTo;
    this.step = step;
    this.labelValue = labelValue;
  }

  /** A linear scale from {@code min} to at least {@code max}, both widened to round ticks. */
  static Scale linear(double min, double max, double pixelFrom, double pixelTo) {
    return linear(min, max, pixelFrom, pixelTo, DoubleUnaryOperator.identity());
  }

  /** A linear scale whose tick labels show {@code labelValue} of the value (e.g. ×100 for percentages). */
  static Scale linear(double min, double max, double pixelFrom, double pixelTo, DoubleUnaryOperator labelValue) {
    double top = max > min ? max : min + 1;
    double raw = (top - min) / TARGET_TICKS;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
      step = factor * magnitude;
      if (step >= raw) {
        break;
      }
    }
    return new Scale(Math.floor(min / step) * step, Math.ceil(top / step) * step, false, pixelFrom, pixelTo, step, labelValue);
  }

  /** A log-10 scale over whole decades covering [min, max]; both must be positive. */
  static Scale log(double min, double max, double pixelFrom, double pixelTo) {
    double low = Math.pow(10, Math.floor(Math.log10(min)));
    double high = Math.pow(10, Math.ceil(Math.log10(max)));
    return new Scale(low, high > low ? high : low * 10, true, pixelFrom, pixelTo, 0, DoubleUnaryOperator.identity());
  }

  double px(double value) {
    double fraction = log ? (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
        : (value - min) / (max - min);
    return pixelFrom + fraction * (pixelTo - pixelFrom);
  }

  /** Labelled ticks: every step, or every decade. */
  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    if (log) {
      for (double decade = min; decade <= max * 1.0001; decade *= 10) {
        ticks.add(decade);
      }
    } else {
      for (int i = 0; min + i * step <= max + step * 1e-9; i++) {
        ticks.add(min + i * step);
      }
    }
    return ticks;
  }

  /** Unlabelled ticks between the labelled ones: 2..9 of each decade on a log scale, none on a linear one. */
  List<Double> minorTicks() {
    List<Double> ticks = new ArrayList<>();
    if (log) {
      for (double decade = min; decade < max; decade *= 10) {
        for (int i = 2; i <= 9; i++) {
          ticks.add(decade * i);
        }
      }
    }
    return ticks;
  }

  String label(double value) {
    double shown = labelValue.applyAsDouble(value);
    if (Math.abs(shown - Math.rint(shown)) < 1e-9) {
      return String.format(Locale.ROOT, "%.0f", shown);
    }
    return String.format(Locale.ROOT, "%.3f", shown).replaceAll("0+$", "");
  }
}
