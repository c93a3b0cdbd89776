package dev.faascell.simulator.generator;

/**
 * The published shape of a day of Azure Functions (Shahrad et al., "Serverless in the Wild", USENIX
 * ATC '20, sections 3.2-3.5) that a generated day reproduces, as quantile functions the generator
 * draws from. Each is piecewise linear in log10 between the figures the paper gives.
 */
final class DayShape {
  /** ~45% of applications are invoked at most once an hour on average (24 a day). */
  static final double HOURLY_OR_RARER = 0.45;
  /** ~81% of applications are invoked at most once a minute on average (1,440 a day). */
  static final double MINUTELY_OR_RARER = 0.81;

  /** log10 of an application's daily invocations at each quantile: [quantile, log10 count]. */
  private static final double[][] APP_DAILY_INVOCATIONS = {
      {0, 0}, {HOURLY_OR_RARER, Math.log10(24)}, {MINUTELY_OR_RARER, Math.log10(1440)}, {0.99, 4.5}, {1, 7.0}};

  /** Functions per application: 54% have one, 95% at most 10 (the paper's figure 1). */
  private static final double[][] FUNCTIONS_PER_APP = {{0, 1}, {0.54, 1}, {0.80, 3}, {0.95, 10}, {1, 40}};

  /** log10 of a function's median duration in ms: half under ~0.7 s, most (~75%) under a second. */
  private static final double[][] MEDIAN_DURATION_MS = {{0, 0}, {0.25, 2.0}, {0.5, 2.85}, {0.75, 3.0}, {0.96, 4.0}, {1, 5.2}};

  /** log10 of an application's average allocated memory in MB: half under ~140, 90% of maxima under 400. */
  private static final double[][] APP_MEMORY_MB = {{0, 1.2}, {0.1, 1.8}, {0.5, 2.15}, {0.9, 2.45}, {1, 2.85}};

  /** Share of functions with a timer trigger, invoked on a fixed period (the paper: 15.6% of functions). */
  static final double TIMER_SHARE = 0.156;

  private DayShape() {
  }

  static double appDailyInvocations(double quantile) {
    return Math.pow(10, interpolate(APP_DAILY_INVOCATIONS, quantile));
  }

  static int functionsPerApp(double quantile) {
    return (int) Math.round(interpolate(FUNCTIONS_PER_APP, quantile));
  }

  static double medianDurationMs(double quantile) {
    return Math.pow(10, interpolate(MEDIAN_DURATION_MS, quantile));
  }

  static double appMemoryMb(double quantile) {
    return Math.pow(10, interpolate(APP_MEMORY_MB, quantile));
  }

  private static double interpolate(double[][] points, double quantile) {
    for (int i = 1; i < points.length; i++) {
      if (quantile <= points[i][0]) {
        double span = points[i][0] - points[i - 1][0];
        double fraction = span == 0 ? 1 : (quantile - points[i - 1][0]) / span;
        return points[i - 1][1] + fraction * (points[i][1] - points[i - 1][1]);
      }
    }
    return points[points.length - 1][1];
  }
}
