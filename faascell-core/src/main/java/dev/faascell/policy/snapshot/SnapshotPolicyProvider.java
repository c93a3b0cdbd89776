package dev.faascell.policy.snapshot;

import dev.faascell.policy.spi.PolicyProvider;

/**
 * How a third-party snapshot policy plugs in: list the implementation in
 * {@code META-INF/services/dev.faascell.policy.snapshot.SnapshotPolicyProvider} and select it with
 * {@code faascell.snapshots.policy = <name>}; its settings are read from {@code faascell.snapshots.<name>}.
 */
public interface SnapshotPolicyProvider extends PolicyProvider<SnapshotPolicy> {
}
