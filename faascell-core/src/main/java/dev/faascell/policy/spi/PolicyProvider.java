package dev.faascell.policy.spi;

import com.typesafe.config.Config;
import java.util.List;

/**
 * One policy of a family, as the registry finds it by name: the built-in ones, and third-party ones
 * that implement the family's provider interface (which extends this one) and are listed in
 * {@code META-INF/services/<that interface>} of a jar on the daemon's classpath. See docs/POLICIES.md.
 *
 * @param <P> the policy family's interface
 */
public interface PolicyProvider<P> {
  /** The name that selects it: {@code policy = <name>} in its family's configuration section. */
  String name();

  /** One line for {@code faascell policies}: what the policy does. */
  default String description() {
    return "";
  }

  /** The settings it reads from its family's section, for {@code faascell policies}. */
  default List<Knob> knobs() {
    return List.of();
  }

  /** @param section the family's whole configuration section (a policy's own settings sit below it) */
  P create(Config section);
}
