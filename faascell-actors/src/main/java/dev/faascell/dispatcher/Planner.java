package dev.faascell.dispatcher;

import dev.faascell.config.NodeCapacity;
import dev.faascell.vmpool.PoolView;
import dev.faascell.vmpool.VmPool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Dispatcher's decision, as a pure function of the queue and the pool's capacity (after
 * OpenWhisk's ContainerPool.schedule): which queued jobs to hand to the pool now.
 *
 * <p>First come, first served, except that a job which can run warm never waits behind one that
 * needs a new VM: once the oldest job needing a new VM does not fit, later jobs may only take idle
 * VMs of their own function, so a large function is not starved by a stream of small ones.
 */
final class Planner {
  /** A capacity view the Dispatcher draws down as it plans; refreshed by each PoolView. */
  static final class Capacity {
    private final Map<String, Integer> idle;
    private int freeSlots;
    private long freeMb;
    private int idleVms;
    private long idleMb;

    Capacity(PoolView view) {
      idle = new HashMap<>(view.idleByFunction());
      freeSlots = view.freeVmSlots();
      freeMb = view.freeMemoryMb();
      idleVms = view.idleVms();
      idleMb = view.idleMemoryMb();
    }

    /** Claims room for one job; returns false (and claims nothing) if there is none. */
    boolean claim(Claim claim) {
      if (claim.warm()) {
        int count = idle.getOrDefault(claim.key(), 0);
        if (count == 0) {
          return false;
        }
        idle.put(claim.key(), count - 1);
        idleVms--;
        idleMb -= claim.reservationMb();
        return true;
      }
      if (freeSlots >= 1 && freeMb >= claim.reservationMb()) {
        freeSlots--;
        freeMb -= claim.reservationMb();
        return true;
      }
      // idle VMs of other functions can be evicted to make room
      if (freeSlots + idleVms >= 1 && freeMb + idleMb >= claim.reservationMb()) {
        idleVms = Math.max(0, idleVms - 1);
        idleMb = Math.max(0, idleMb - claim.reservationMb());
        return true;
      }
      return false;
    }

    boolean hasIdle(String key) {
      return idle.getOrDefault(key, 0) > 0;
    }
  }

  /** What one assignment takes from the pool's capacity. */
  record Claim(String key, boolean warm, int reservationMb) {}

  /** A decision: hand {@code pending} to the pool, taking {@code claim}. */
  record Decision(Pending pending, Claim claim) {}

  private Planner() {
  }

  static List<Decision> plan(Iterable<Pending> queue, Capacity capacity, NodeCapacity node) {
    List<Decision> decisions = new ArrayList<>();
    boolean newVmsBlocked = false;
    for (Pending pending : queue) {
      var function = pending.job().invocation().function();
      String key = VmPool.keyOf(function);
      int reservation = node.reservationMb(function.memoryMb());
      if (capacity.hasIdle(key)) {
        Claim warm = new Claim(key, true, reservation);
        capacity.claim(warm);
        decisions.add(new Decision(pending, warm));
      } else if (!newVmsBlocked) {
        Claim cold = new Claim(key, false, reservation);
        if (capacity.claim(cold)) {
          decisions.add(new Decision(pending, cold));
        } else {
          newVmsBlocked = true;
        }
      }
    }
    return decisions;
  }
}
