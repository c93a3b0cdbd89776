package dev.faascell.policy.scaling;

import com.typesafe.config.Config;
import dev.faascell.policy.PolicyRegistry;
import java.util.Map;
import java.util.function.Function;

/** Scaling policies by the name faascell.scaling.policy gives them. */
public final class ScalingPolicies {
  private static final Map<String, Function<Config, ScalingPolicy>> BUILT_IN = Map.of(
      "always-start", c -> new AlwaysStart(),
      "expected-wait", c -> new ExpectedWait());

  private ScalingPolicies() {
  }

  /** @param scaling the faascell.scaling section */
  public static ScalingPolicy create(Config scaling) {
    return PolicyRegistry.create("scaling", BUILT_IN, ScalingPolicyProvider.class, scaling);
  }
}
