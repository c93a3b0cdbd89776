package dev.faascell.policy;

import com.typesafe.config.Config;

/**
 * How a third-party policy plugs in: implement the family's provider interface (which extends this
 * one), list the class in {@code META-INF/services/<that interface>} of a jar on the daemon's
 * classpath, and select it by its name in the family's configuration section. See docs/POLICIES.md.
 *
 * @param <P> the policy family
 */
public interface PolicyProvider<P> {
  String name();

  /** @param section the family's whole configuration section (a policy's own settings sit below it) */
  P create(Config section);
}
