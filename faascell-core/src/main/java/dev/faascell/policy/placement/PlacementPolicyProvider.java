package dev.faascell.policy.placement;

import dev.faascell.policy.spi.PolicyProvider;

/**
 * How a third-party placement policy plugs in: list the implementation in
 * {@code META-INF/services/dev.faascell.policy.placement.PlacementPolicyProvider} and select it with
 * {@code faascell.snapshots.placement.policy = <name>}; its settings are read from
 * {@code faascell.snapshots.placement.<name>}.
 */
public interface PlacementPolicyProvider extends PolicyProvider<PlacementPolicy> {
}
