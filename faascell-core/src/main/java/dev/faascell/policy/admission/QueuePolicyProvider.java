package dev.faascell.policy.admission;

import dev.faascell.policy.spi.PolicyProvider;

/**
 * How a third-party queue policy plugs in: list the implementation in
 * {@code META-INF/services/dev.faascell.policy.admission.QueuePolicyProvider} and select it with
 * {@code faascell.dispatcher.policy = <name>}; its settings are read from {@code faascell.dispatcher.<name>}.
 */
public interface QueuePolicyProvider extends PolicyProvider<QueuePolicy> {
}
