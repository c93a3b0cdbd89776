package dev.faascell.policy.keepalive;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Keep every idle VM while there is room; when a new VM needs room, evict the least recently used. */
public final class LruKeepAlive implements KeepAlivePolicy {
  @Override
  public List<Decision> expired(Collection<IdleVm> idle, long nowNanos) {
    return List.of();
  }

  @Override
  public List<Decision> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos) {
    return leastRecentlyUsed(idle);
  }

  static List<Decision> leastRecentlyUsed(Collection<IdleVm> idle) {
    return idle.stream().sorted(Comparator.comparingLong(IdleVm::idleSinceNanos))
        .map(vm -> new Decision(vm, "least recently used (idle since " + vm.idleSinceNanos() / 1_000_000 + " ms)"))
        .toList();
  }

  @Override
  public String name() {
    return "lru";
  }
}
