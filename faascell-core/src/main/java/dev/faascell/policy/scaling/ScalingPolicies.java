package dev.faascell.policy.scaling;

import dev.faascell.policy.spi.BuiltInPolicy;
import java.util.List;

/** The built-in scaling policies, selected by faascell.scaling.policy (dev.faascell.policy.PolicyRegistry). */
public final class ScalingPolicies {
  public static final List<BuiltInPolicy<ScalingPolicy>> BUILT_IN = List.of(
      new BuiltInPolicy<>("always-start", "start a VM whenever the node has room", List.of(), c -> new AlwaysStart()),
      new BuiltInPolicy<>("expected-wait", "start only when the expected start is shorter than the expected wait"
          + " for a busy VM", List.of(), c -> new ExpectedWait()));

  private ScalingPolicies() {
  }
}
