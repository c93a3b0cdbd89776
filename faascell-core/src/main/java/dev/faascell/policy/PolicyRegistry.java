package dev.faascell.policy;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Finds a policy of one family by name: the family's built-in policies first, then any provider on the
 * classpath (after Caffeine's simulator registry: one lookup, one error naming what is known).
 */
public final class PolicyRegistry {
  private PolicyRegistry() {
  }

  /**
   * @param family    the family's name in messages, e.g. "keep-alive"
   * @param builtIn   the built-in policies by name
   * @param providers the family's provider interface, looked up through ServiceLoader
   * @param section   the family's configuration section, whose {@code policy} key names the policy
   */
  public static <P> P create(String family, Map<String, Function<Config, P>> builtIn,
                             Class<? extends PolicyProvider<P>> providers, Config section) {
    String name = section.getString("policy");
    Map<String, Function<Config, P>> known = new TreeMap<>(builtIn);
    for (PolicyProvider<P> provider : ServiceLoader.load(providers)) {
      known.putIfAbsent(provider.name(), provider::create);
    }
    Function<Config, P> factory = known.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown " + family + " policy '" + name + "'; known: "
          + String.join(", ", known.keySet()));
    }
    return factory.apply(section);
  }
}
