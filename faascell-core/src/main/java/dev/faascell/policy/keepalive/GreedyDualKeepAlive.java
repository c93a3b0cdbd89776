package dev.faascell.policy.keepalive;

import dev.faascell.model.FunctionName;
import java.util.AbstractList;
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
    double clockNow = clock;
    List<IdleVm> order = idle.stream().sorted(Comparator.comparingDouble(this::priority)).toList();
    double[] priorities = order.stream().mapToDouble(this::priority).toArray();
    // the pool takes victims from the front until there is room, usually one or two: each reason is
    // formatted only when asked for, as of this call
    return new AbstractList<>() {
      @Override
      public Decision get(int index) {
        IdleVm vm = order.get(index);
        return new Decision(vm, String.format(Locale.ROOT, "lowest priority %.2f (clock %.2f, frequency %d)",
            priorities[index], clockNow, frequency.getOrDefault(vm.function(), 1L)));
      }

      @Override
      public int size() {
        return order.size();
      }
    };
  }

  @Override
  public String name() {
    return "greedy-dual";
  }
}
