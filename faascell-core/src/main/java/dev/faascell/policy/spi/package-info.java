/**
 * What a policy plug-in implements: a {@link dev.faascell.policy.spi.PolicyProvider} with its
 * {@link dev.faascell.policy.spi.Knob}s. The policy families' packages depend on this one, and the
 * registry in {@code dev.faascell.policy} on them, so dependencies run one way.
 */
package dev.faascell.policy.spi;
