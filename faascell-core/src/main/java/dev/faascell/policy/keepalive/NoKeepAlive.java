package dev.faascell.policy.keepalive;

import java.util.Collection;
import java.util.List;

/** Run and done: every VM stops as soon as it is idle (the cold/restore baseline for experiments). */
public final class NoKeepAlive implements KeepAlivePolicy {
  @Override
  public List<Decision> expired(Collection<IdleVm> idle, long nowNanos) {
    return idle.stream().map(vm -> new Decision(vm, "no keep-alive")).toList();
  }

  @Override
  public List<Decision> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos) {
    return expired(idle, nowNanos);
  }

  @Override
  public String name() {
    return "none";
  }
}
