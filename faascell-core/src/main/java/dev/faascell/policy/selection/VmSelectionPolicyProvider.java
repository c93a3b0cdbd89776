package dev.faascell.policy.selection;

import dev.faascell.policy.spi.PolicyProvider;

/**
 * How a third-party VM selection policy plugs in: list the implementation in
 * {@code META-INF/services/dev.faascell.policy.selection.VmSelectionPolicyProvider} and select it with
 * {@code faascell.vm-selection.policy = <name>}; its settings are read from {@code faascell.vm-selection.<name>}.
 */
public interface VmSelectionPolicyProvider extends PolicyProvider<VmSelectionPolicy> {
}
