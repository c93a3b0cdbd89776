package dev.faascell.policy.keepalive;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * OpenWhisk's rule: an idle VM lives for a fixed time (default 10 minutes) after its last use; when
 * room is needed, the least recently used idle VMs go first.
 */
public final class TtlKeepAlive implements KeepAlivePolicy {
  private final long ttlNanos;

  public TtlKeepAlive(Duration ttl) {
    this.ttlNanos = ttl.toNanos();
  }

  @Override
  public List<Decision> expired(Collection<IdleVm> idle, long nowNanos) {
    return idle.stream().filter(vm -> nowNanos - vm.idleSinceNanos() >= ttlNanos)
        .map(vm -> new Decision(vm, "idle for " + (nowNanos - vm.idleSinceNanos()) / 1_000_000 + " ms >= ttl "
            + ttlNanos / 1_000_000 + " ms"))
        .toList();
  }

  @Override
  public List<Decision> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos) {
    return LruKeepAlive.leastRecentlyUsed(idle);
  }

  @Override
  public String name() {
    return "ttl";
  }
}
