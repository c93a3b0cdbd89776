package dev.faascell.policy.keepalive;

import dev.faascell.model.FunctionName;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FaasCache's Greedy-Dual keep-alive (Fuerst and Sharma, ASPLOS '21): keep VMs while there is room;
 * when room is needed, evict the VM with the lowest priority
 * <pre>  priority = clock + frequency × cold-start cost / memory size</pre>
 * where frequency counts the function's invocations, the cost is what the VM took to become ready,
 * and the clock is the function's priority baseline at its last use: the priority of the last evicted
 * VM, which ages everything that has not been used since.
 */
public final class GreedyDualKeepAlive implements KeepAlivePolicy {
  private final Map<FunctionName, Long> frequency = new HashMap<>();
  private final Map<FunctionName, Double> clockAtLastUse = new HashMap<>();
  private double clock;

  @Override
  public void invoked(FunctionName function, long nowNanos) {
    frequency.merge(function, 1L, Long::sum);
    clockAtLastUse.put(function, clock);
  }

  @Override
  public void stopped(IdleVm vm, long nowNanos) {
    clock = Math.max(clock, priority(vm));
  }

  /** The VM's priority: higher stays longer. */
  public double priority(IdleVm vm) {
    long freq = frequency.getOrDefault(vm.function(), 1L);
    double costMs = Math.max(1, vm.coldStartNanos() / 1e6);
    return clockAtLastUse.getOrDefault(vm.function(), clock) + freq * costMs / Math.max(1, vm.memoryMb());
  }

  public double clock() {
    return clock;
  }

  @Override
  public List<Decision> expired(Collection<IdleVm> idle, long nowNanos) {
    return List.of();
  }

  @Override
  public List<Decision> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos) {
    return idle.stream().sorted(Comparator.comparingDouble(this::priority))
        .map(vm -> new Decision(vm, String.format(Locale.ROOT, "lowest priority %.2f (clock %.2f, frequency %d)",
            priority(vm), clock, frequency.getOrDefault(vm.function(), 1L))))
        .toList();
  }

  @Override
  public String name() {
    return "greedy-dual";
  }
}
