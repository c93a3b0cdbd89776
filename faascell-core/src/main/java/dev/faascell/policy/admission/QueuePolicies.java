package dev.faascell.policy.admission;

import dev.faascell.policy.spi.BuiltInPolicy;
import java.util.List;

/** The built-in queue policies, selected by faascell.dispatcher.policy (dev.faascell.policy.PolicyRegistry). */
public final class QueuePolicies {
  public static final List<BuiltInPolicy<QueuePolicy>> BUILT_IN = List.of(
      new BuiltInPolicy<>("fifo", "first come, first served", List.of(), c -> QueuePolicy.fifo()),
      new BuiltInPolicy<>("sejf", "shortest expected job first, by each function's measured warm run time",
          List.of(), c -> QueuePolicy.shortestExpectedJobFirst()));

  private QueuePolicies() {
  }
}
