package dev.faascell.policy.keepalive;

import com.typesafe.config.Config;
import dev.faascell.policy.PolicyRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Keep-alive policies by the name faascell.keep-alive.policy gives them: the built-in ones, and any
 * {@link KeepAlivePolicyProvider} found on the classpath.
 */
public final class KeepAlivePolicies {
  private static final Map<String, Function<Config, KeepAlivePolicy>> BUILT_IN = new TreeMap<>(Map.of(
      "none", c -> new NoKeepAlive(),
      "ttl", c -> new TtlKeepAlive(c.getDuration("ttl")),
      "lru", c -> new LruKeepAlive(),
      "greedy-dual", c -> new GreedyDualKeepAlive(),
      "hybrid-histogram", c -> {
        Config h = c.getConfig("hybrid-histogram");
        return new HybridHistogramKeepAlive(new HybridHistogramKeepAlive.Settings(h.getDuration("bin-width"),
            h.getInt("bins"), h.getInt("min-samples"), h.getDouble("head-percentile"), h.getDouble("tail-percentile"),
            h.getDouble("margin"), h.getDuration("fallback-keep-alive")));
      }));

  private KeepAlivePolicies() {
  }

  /** @param keepAlive the faascell.keep-alive section */
  public static KeepAlivePolicy create(Config keepAlive) {
    return PolicyRegistry.create("keep-alive", BUILT_IN, KeepAlivePolicyProvider.class, keepAlive);
  }
}
