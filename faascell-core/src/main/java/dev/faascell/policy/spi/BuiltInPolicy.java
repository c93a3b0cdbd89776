package dev.faascell.policy.spi;

import com.typesafe.config.Config;
import java.util.List;
import java.util.function.Function;

/** A policy that ships with FaaSCell: its name, what it does, its knobs, and how it is made from its section. */
public record BuiltInPolicy<P>(String name, String description, List<Knob> knobs, Function<Config, P> factory)
    implements PolicyProvider<P> {
  @Override
  public P create(Config section) {
    return factory.apply(section);
  }
}
