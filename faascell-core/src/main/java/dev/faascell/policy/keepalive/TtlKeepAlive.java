package dev.faascell.policy.keepalive;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
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
  public List<IdleVm> expired(Collection<IdleVm> idle, long nowNanos) {
    return idle.stream().filter(vm -> nowNanos - vm.idleSinceNanos() >= ttlNanos).toList();
  }

  @Override
  public List<IdleVm> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos) {
    return idle.stream().sorted(Comparator.comparingLong(IdleVm::idleSinceNanos)).toList();
  }

  @Override
  public String name() {
    return "ttl";
  }
}
