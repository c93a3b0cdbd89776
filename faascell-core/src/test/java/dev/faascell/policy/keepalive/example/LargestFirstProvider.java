package dev.faascell.policy.keepalive.example;

import com.typesafe.config.Config;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import dev.faascell.policy.keepalive.KeepAlivePolicyProvider;

/** Makes {@link LargestFirstKeepAlive} selectable as faascell.keep-alive.policy = "largest-first". */
public final class LargestFirstProvider implements KeepAlivePolicyProvider {
  @Override
  public String name() {
    return "largest-first";
  }

  @Override
  public String description() {
    return "evict the largest idle VM first; stop VMs idle longer than max-idle";
  }

  @Override
  public KeepAlivePolicy create(Config keepAlive) {
    Config own = keepAlive.hasPath("largest-first") ? keepAlive.getConfig("largest-first") : keepAlive;
    return new LargestFirstKeepAlive(own.hasPath("max-idle") ? own.getDuration("max-idle") : keepAlive.getDuration("ttl"));
  }
}
