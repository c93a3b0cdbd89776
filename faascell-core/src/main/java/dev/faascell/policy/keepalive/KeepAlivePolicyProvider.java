package dev.faascell.policy.keepalive;

import dev.faascell.policy.spi.PolicyProvider;

/**
 * How a third-party keep-alive policy plugs in: implement this, list the class in
 * {@code META-INF/services/dev.faascell.policy.keepalive.KeepAlivePolicyProvider} of a jar on the
 * daemon's classpath, and select it with {@code faascell.keep-alive.policy = <name>}. Its settings, if
 * any, are read from {@code faascell.keep-alive.<name>}. See docs/POLICIES.md.
 */
public interface KeepAlivePolicyProvider extends PolicyProvider<KeepAlivePolicy> {
}
