package dev.faascell.client;

/**
 * The node's own timing breakdown of an invocation, in ms, as its reply gives it; NaN for a field the
 * reply did not have (a 429, a client-side failure).
 */
public record ReplyTimings(double queueMs, double acquireMs, double bootMs, double restoreMs, double initMs,
                           double runMs, double execMs, double totalMs) {
  public static final ReplyTimings NONE = new ReplyTimings(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
      Double.NaN, Double.NaN, Double.NaN);
}
