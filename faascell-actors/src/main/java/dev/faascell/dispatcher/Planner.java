package dev.faascell.dispatcher;

import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FunctionName;
import dev.faascell.policy.admission.QueuePolicy;
import dev.faascell.policy.admission.QueuedInvocation;
import dev.faascell.vmpool.PoolView;
import dev.faascell.vmpool.VmPool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The Dispatcher's decision, as a pure function of the queue and the pool's capacity (after
 * OpenWhisk's ContainerPool.schedule): which queued jobs to hand to the pool now.
 *
 * <p>Jobs are considered in the queue policy's order. A job that can run warm never waits behind one
 * that needs a new VM: once the first job needing a new VM does not fit, later jobs may only take idle
 * VMs of their own function, so a large function is not starved by a stream of small ones. A function
 * at its concurrency limit is passed over without blocking the others.
 */
final class Planner {
  /** A capacity view the Dispatcher draws down as it plans; refreshed by each PoolView. */
  static final class Capacity {
    private final Map<String, Integer> idle;
    private final Map<String, Integer> active;
    private int freeSlots;
    private long freeMb;
    private int idleVms;
    private long idleMb;
    private int freeVcpus;
    private int stoppingVms;
    private long stoppingMb;

    Capacity(PoolView view) {
      idle = new HashMap<>(view.idleByFunction());
      active = new HashMap<>(view.activeByFunction());
      freeSlots = view.freeVmSlots();
      freeMb = view.freeMemoryMb();
      idleVms = view.idleVms();
      idleMb = view.idleMemoryMb();
      freeVcpus = view.freeVcpus();
      stoppingVms = view.stoppingVms();
      stoppingMb = view.stoppingMemoryMb();
    }

    /** Claims room for one job; returns false (and claims nothing) if there is none. */
    boolean claim(Claim claim) {
      if (freeVcpus < claim.vcpus()) {
        return false;
      }
      if (claim.warm()) {
        int count = idle.getOrDefault(claim.key(), 0);
        if (count == 0) {
          return false;
        }
        idle.put(claim.key(), count - 1);
        idleVms--;
        idleMb -= claim.reservationMb();
      } else if (freeSlots >= 1 && freeMb >= claim.reservationMb()) {
        freeSlots--;
        freeMb -= claim.reservationMb();
      } else if (freeSlots + stoppingVms >= 1 && freeMb + stoppingMb >= claim.reservationMb()) {
        return false;   // fits once the VMs being stopped are gone: wait for them, evict nothing more
      } else if (freeSlots + stoppingVms + idleVms >= 1 && freeMb + stoppingMb + idleMb >= claim.reservationMb()) {
        // idle VMs of other functions can be evicted to make room
        idleVms = Math.max(0, idleVms - 1);
        idleMb = Math.max(0, idleMb - claim.reservationMb());
      } else {
        return false;
      }
      freeVcpus -= claim.vcpus();
      active.merge(claim.function().value(), 1, Integer::sum);
      return true;
    }

    boolean hasIdle(String key) {
      return idle.getOrDefault(key, 0) > 0;
    }

    int active(FunctionName function) {
      return active.getOrDefault(function.value(), 0);
    }
  }

  /** What one assignment takes from the pool's capacity. */
  record Claim(FunctionName function, String key, boolean warm, int reservationMb, int vcpus) {}

  /** A decision: hand {@code pending} to the pool, taking {@code claim}. */
  record Decision(Pending pending, Claim claim) {}

  /** The Dispatcher's planning rules. */
  record Rules(NodeCapacity node, QueuePolicy order, int maxConcurrencyPerFunction) {}

  private Planner() {
  }

  static List<Decision> plan(SortedMap<Long, Pending> queue, Capacity capacity, Rules rules,
                             Map<FunctionName, Double> expectedRunMs) {
    List<QueuedInvocation> arrivalOrder = new ArrayList<>(queue.size());
    for (Pending pending : queue.values()) {
      arrivalOrder.add(new QueuedInvocation(pending.arrival(), pending.job().invocation().functionName(),
          pending.enqueuedNanos()));
    }
    List<QueuedInvocation> ordered = rules.order().order(arrivalOrder, expectedRunMs);
    List<Decision> decisions = new ArrayList<>();
    // warm first, so that no new VM evicts an idle VM a waiting invocation could have used
    for (QueuedInvocation next : ordered) {
      Pending pending = queue.get(next.arrival());
      Claim claim = claimFor(pending, true, rules);
      if (withinLimit(claim, capacity, rules) && capacity.hasIdle(claim.key()) && capacity.claim(claim)) {
        decisions.add(new Decision(pending, claim));
      }
    }
    for (QueuedInvocation next : ordered) {
      Pending pending = queue.get(next.arrival());
      Claim claim = claimFor(pending, false, rules);
      if (decisions.stream().anyMatch(d -> d.pending() == pending) || capacity.hasIdle(claim.key())
          || !withinLimit(claim, capacity, rules)) {
        continue;
      }
      if (!capacity.claim(claim)) {
        break;   // the oldest invocation that needs a new VM does not fit: later ones wait behind it
      }
      decisions.add(new Decision(pending, claim));
    }
    return decisions;
  }

  private static Claim claimFor(Pending pending, boolean warm, Rules rules) {
    var function = pending.job().invocation().function();
    return new Claim(function.name(), VmPool.keyOf(function), warm, rules.node().reservationMb(function.memoryMb()),
        function.vcpus());
  }

  private static boolean withinLimit(Claim claim, Capacity capacity, Rules rules) {
    int limit = rules.maxConcurrencyPerFunction();
    return limit <= 0 || capacity.active(claim.function()) < limit;
  }
}
