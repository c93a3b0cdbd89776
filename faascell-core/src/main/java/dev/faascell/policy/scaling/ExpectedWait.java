package dev.faascell.policy.scaling;

/**
 * Starts a VM only when that is expected to be faster than waiting for a busy VM of the function.
 *
 * <p>The expected start is the typical start of the function (restore or boot) plus the rounds of
 * starts already waiting for a slot ahead of it. The expected wait is what the furthest-along busy VM
 * has left of a typical run, plus one typical run for every full round of invocations already waiting
 * for the busy VMs. A run that has already lasted longer than the history says is evidence that this
 * run is longer: it is then expected to last as long again as it has so far, and so are the runs after
 * it. Without a busy VM, or without the history to predict either side, it starts.
 */
public final class ExpectedWait implements ScalingPolicy {
  @Override
  public String name() {
    return "expected-wait";
  }

  @Override
  public Decision decide(Demand d) {
    if (d.busyVms() == 0) {
      return Decision.start("no busy VM of the function to wait for");
    }
    if (d.expectedRunNanos() <= 0 || d.expectedStartNanos() <= 0) {
      return Decision.start("no history to predict the wait or the start");
    }
    long start = (1 + d.startsAhead() / Math.max(1, d.startSlots())) * d.expectedStartNanos();
    long elapsed = d.longestBusyNanos();
    long remaining = elapsed < d.expectedRunNanos() ? d.expectedRunNanos() - elapsed : elapsed;
    long run = Math.max(d.expectedRunNanos(), elapsed);
    long wait = remaining + (long) (d.waitingAhead() / d.busyVms()) * run;
    // concatenated, not String.format: the pool decides this for every waiting invocation at every offer
    String numbers = "expected start " + Math.round(start / 1e6) + " ms, expected wait " + Math.round(wait / 1e6) + " ms";
    return start < wait ? Decision.start(numbers) : Decision.await(numbers);
  }
}
