package dev.faascell.replay.arrivals;

import dev.faascell.replay.workload.WorkRequest;

/** One invocation of an open-loop replay: which function, with what work, sent when. */
public record ScheduledInvocation(long offsetNanos, String function, WorkRequest work) {
  public ScheduledInvocation {
    if (offsetNanos < 0) {
      throw new IllegalArgumentException("an invocation cannot be scheduled before the start: " + offsetNanos);
    }
  }
}
