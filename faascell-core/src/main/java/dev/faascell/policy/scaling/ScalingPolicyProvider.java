package dev.faascell.policy.scaling;

import dev.faascell.policy.spi.PolicyProvider;

/**
 * How a third-party scaling policy plugs in: list the implementation in
 * {@code META-INF/services/dev.faascell.policy.scaling.ScalingPolicyProvider} and select it with
 * {@code faascell.scaling.policy = <name>}; its settings are read from {@code faascell.scaling.<name>}.
 */
public interface ScalingPolicyProvider extends PolicyProvider<ScalingPolicy> {
}
