package dev.faascell.policy;

import com.typesafe.config.Config;
import dev.faascell.policy.spi.PolicyProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

/**
 * One kind of decision and the policies that can make it. Every family is configured the same way: its
 * section names the policy ({@code policy = <name>}) and holds the policies' settings.
 *
 * @param name      the family's name in messages and listings, e.g. "keep-alive"
 * @param section   the family's configuration section, e.g. "faascell.keep-alive"
 * @param decides   one line: the decision the family makes
 * @param providers the family's provider interface, which third-party policies implement (ServiceLoader)
 * @param builtIns  the policies that ship with FaaSCell
 * @param <P>       the family's policy interface
 */
public record PolicyFamily<P>(String name, String section, String decides,
                              Class<? extends PolicyProvider<P>> providers, List<? extends PolicyProvider<P>> builtIns) {
  /** The built-in policies first, in their order, then those found on the classpath, by name. */
  public List<PolicyProvider<P>> implementations() {
    Map<String, PolicyProvider<P>> byName = new LinkedHashMap<>();
    builtIns.forEach(p -> byName.put(p.name(), p));
    StreamSupport.stream(ServiceLoader.load(providers).spliterator(), false)
        .sorted(Comparator.comparing(PolicyProvider::name))
        .forEach(p -> byName.putIfAbsent(p.name(), p));   // a built-in name cannot be taken over
    return new ArrayList<>(byName.values());
  }

  /** The name {@code config}'s family section selects. */
  public String configuredName(Config config) {
    return config.getString(section + ".policy");
  }

  /** @throws IllegalArgumentException for an unknown name, listing the known ones */
  public PolicyProvider<P> provider(String policy) {
    List<PolicyProvider<P>> known = implementations();
    return known.stream().filter(p -> p.name().equals(policy)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown " + name + " policy '" + policy + "' (" + section
            + ".policy); known: " + String.join(", ", known.stream().map(PolicyProvider::name).sorted().toList())));
  }

  /** The policy {@code config} (the whole configuration, faascell.* included) selects, made from its section. */
  public P create(Config config) {
    return provider(configuredName(config)).create(config.getConfig(section));
  }
}
