package dev.faascell.policy.keepalive;

import dev.faascell.config.FaascellConfig.KeepAliveSettings;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Keep-alive policies by the name faascell.keep-alive.policy gives them. */
public final class KeepAlivePolicies {
  private static final Map<String, Function<KeepAliveSettings, KeepAlivePolicy>> BUILT_IN = new TreeMap<>(Map.of(
      "ttl", settings -> new TtlKeepAlive(settings.ttl())));

  private KeepAlivePolicies() {
  }

  public static KeepAlivePolicy create(KeepAliveSettings settings) {
    var factory = BUILT_IN.get(settings.policy());
    if (factory == null) {
      throw new IllegalArgumentException("unknown keep-alive policy '" + settings.policy() + "'; known: "
          + String.join(", ", BUILT_IN.keySet()));
    }
    return factory.apply(settings);
  }
}
