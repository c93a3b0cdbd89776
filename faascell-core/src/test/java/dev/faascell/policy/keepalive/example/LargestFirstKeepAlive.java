package dev.faascell.policy.keepalive.example;

import dev.faascell.policy.keepalive.IdleVm;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The example of docs/POLICIES.md: keep idle VMs for a maximum idle time, and when room is needed
 * evict the largest idle VM first (one eviction frees the most memory).
 */
public final class LargestFirstKeepAlive implements KeepAlivePolicy {
  private final long maxIdleNanos;

  public LargestFirstKeepAlive(Duration maxIdle) {
    this.maxIdleNanos = maxIdle.toNanos();
  }

  @Override
  public String name() {
    return "largest-first";
  }

  @Override
  public List<Decision> expired(Collection<IdleVm> idle, long nowNanos) {
    return idle.stream().filter(vm -> nowNanos - vm.idleSinceNanos() >= maxIdleNanos)
        .map(vm -> new Decision(vm, "idle longer than " + maxIdleNanos / 1_000_000 + " ms")).toList();
  }

  @Override
  public List<Decision> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos) {
    return idle.stream().sorted(Comparator.comparingInt(IdleVm::memoryMb).reversed())
        .map(vm -> new Decision(vm, "largest idle VM (" + vm.memoryMb() + " MiB)")).toList();
  }
}
