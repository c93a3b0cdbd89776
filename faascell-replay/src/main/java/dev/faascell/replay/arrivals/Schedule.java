package dev.faascell.replay.arrivals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The invocations of an open-loop replay in the order they are sent. Invocations scheduled at the
 * same time keep the order they were given in, so a seeded schedule is the same on every run.
 */
public record Schedule(List<ScheduledInvocation> invocations) {
  public Schedule {
    List<ScheduledInvocation> sorted = new ArrayList<>(invocations);
    sorted.sort(Comparator.comparingLong(ScheduledInvocation::offsetNanos));
    invocations = List.copyOf(sorted);
  }

  public int size() {
    return invocations.size();
  }
}
