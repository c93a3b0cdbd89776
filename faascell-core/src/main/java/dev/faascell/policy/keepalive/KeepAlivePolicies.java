package dev.faascell.policy.keepalive;

import com.typesafe.config.Config;
import dev.faascell.policy.spi.BuiltInPolicy;
import dev.faascell.policy.spi.Knob;
import java.util.List;

/** The built-in keep-alive policies, selected by faascell.keep-alive.policy (dev.faascell.policy.PolicyRegistry). */
public final class KeepAlivePolicies {
  public static final List<BuiltInPolicy<KeepAlivePolicy>> BUILT_IN = List.of(
      new BuiltInPolicy<>("none", "stop a VM as soon as it is idle", List.of(), c -> new NoKeepAlive()),
      new BuiltInPolicy<>("ttl", "OpenWhisk: a fixed idle timeout; evict the least recently used for room",
          List.of(new Knob("ttl", "10m", "idle time after which a VM is stopped")),
          c -> new TtlKeepAlive(c.getDuration("ttl"))),
      new BuiltInPolicy<>("lru", "keep idle VMs while there is room; evict the least recently used", List.of(),
          c -> new LruKeepAlive()),
      new BuiltInPolicy<>("greedy-dual", "FaasCache: keep while there is room; evict the lowest clock + frequency"
          + " x cold-start cost / memory", List.of(), c -> new GreedyDualKeepAlive()),
      new BuiltInPolicy<>("hybrid-histogram", "Shahrad et al.: a per-function idle-time histogram gives a pre-warm"
          + " and a keep-alive window", List.of(
              new Knob("hybrid-histogram.bin-width", "1m", "width of a histogram bin"),
              new Knob("hybrid-histogram.bins", "240", "number of bins (1 minute x 240 = 4 hours, as in the paper)"),
              new Knob("hybrid-histogram.min-samples", "5", "fewer idle-time samples than this: fixed keep-alive"),
              new Knob("hybrid-histogram.fallback-keep-alive", "10m", "the fixed keep-alive without enough history"),
              new Knob("hybrid-histogram.head-percentile", "5", "the pre-warm window ends at this percentile"),
              new Knob("hybrid-histogram.tail-percentile", "99", "the keep-alive window reaches this percentile"),
              new Knob("hybrid-histogram.margin", "0.1", "windows are widened by this fraction")),
          KeepAlivePolicies::hybridHistogram));

  private KeepAlivePolicies() {
  }

  private static KeepAlivePolicy hybridHistogram(Config keepAlive) {
    Config h = keepAlive.getConfig("hybrid-histogram");
    return new HybridHistogramKeepAlive(new HybridHistogramKeepAlive.Settings(h.getDuration("bin-width"),
        h.getInt("bins"), h.getInt("min-samples"), h.getDouble("head-percentile"), h.getDouble("tail-percentile"),
        h.getDouble("margin"), h.getDuration("fallback-keep-alive")));
  }
}
