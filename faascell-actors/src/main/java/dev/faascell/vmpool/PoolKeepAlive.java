package dev.faascell.vmpool;

import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.policy.keepalive.KeepAlivePolicy;
import dev.faascell.snapshot.SnapshotRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keep-alive policy at work in the pool: it hears of every invocation the pool takes, and stops
 * the idle VMs it names — expired ones on every tick, victims when a new VM needs room — and
 * pre-warms the functions it expects, with the newest spec the pool has seen of each.
 */
final class PoolKeepAlive {
  private final KeepAlivePolicy policy;
  private final int maxVms;
  private final VmTable vms;
  private final MemoryAccount memory;
  private final StartBudget budget;
  private final PoolSnapshots snapshots;
  private final StartHistory history;
  private final VmStarts starts;
  private final PoolMetrics metrics;
  /** The newest spec of every function the pool has served: what a pre-warm starts. */
  private final Map<FunctionName, FunctionSpec> knownFunctions = new HashMap<>();

  PoolKeepAlive(KeepAlivePolicy policy, int maxVms, VmTable vms, MemoryAccount memory, StartBudget budget,
                PoolSnapshots snapshots, StartHistory history, VmStarts starts, PoolMetrics metrics) {
    this.policy = policy;
    this.maxVms = maxVms;
    this.vms = vms;
    this.memory = memory;
    this.budget = budget;
    this.snapshots = snapshots;
    this.history = history;
    this.starts = starts;
    this.metrics = metrics;
  }

  /** The pool took an invocation of {@code function}. */
  void invoked(FunctionSpec function, long now) {
    knownFunctions.put(function.name(), function);
    policy.invoked(function.name(), now);
  }

  /**
   * True if a VM of {@code estimateMb} fits now. Otherwise stops as many idle VMs as the keep-alive
   * policy names until it will fit once every stopping VM is gone, and says no: the pool tells the
   * Dispatcher when they are.
   */
  boolean makeRoom(long estimateMb, long now) {
    long shortfall = memory.shortfallMb(estimateMb, now);
    boolean needSlot = vms.live() >= maxVms;
    if (shortfall == 0 && !needSlot) {
      return true;
    }
    shortfall -= vms.stoppingMb(memory);
    for (KeepAlivePolicy.Decision victim : policy.victims(vms.idle(), (int) estimateMb, now)) {
      if (shortfall <= 0 && !needSlot) {
        break;
      }
      PoolVm vm = vms.get(victim.vm().vmId());
      if (vm != null && vm.state == VmState.IDLE) {
        evict(vm, victim, "make-room", now);
        shortfall -= memory.accountedMb(vm.id);
        needSlot = false;
      }
    }
    return false;
  }

  /** Stops the expired idle VMs and starts the pre-warms that fit: true if it did either. */
  boolean tick(long now) {
    List<KeepAlivePolicy.Decision> expired = policy.expired(vms.idle(), now);
    for (KeepAlivePolicy.Decision decision : expired) {
      PoolVm vm = vms.get(decision.vm().vmId());
      if (vm != null && vm.state == VmState.IDLE) {
        evict(vm, decision, "expired", now);
      }
    }
    boolean prewarmed = false;
    for (KeepAlivePolicy.Prewarm prewarm : policy.prewarm(vms.present(), now)) {
      FunctionSpec function = knownFunctions.get(prewarm.function());
      // a pre-warm only uses a slot nobody waits for
      if (function != null && budget.waiting() == 0 && budget.inUse() < budget.slots()) {
        SnapshotRecord snapshot = snapshots.restorable(function);
        long estimateMb = history.estimateMb(function, snapshot != null);
        if (memory.shortfallMb(estimateMb, now) == 0) {
          metrics.prewarm(function.name(), prewarm.reason());
          starts.enqueue(function, snapshot, Optional.empty(), 1, null, estimateMb, false);
          prewarmed = true;
        }
      }
    }
    if (prewarmed) {
      starts.grantSlots();
    }
    return !expired.isEmpty() || prewarmed;
  }

  /** Stops an idle VM the keep-alive policy chose, saying why, and counts it. */
  private void evict(PoolVm vm, KeepAlivePolicy.Decision decision, String cause, long now) {
    policy.stopped(decision.vm(), now);
    metrics.eviction(cause);
    vm.retire("keep-alive policy " + policy.name() + " (" + cause + "): " + decision.reason());
  }
}
