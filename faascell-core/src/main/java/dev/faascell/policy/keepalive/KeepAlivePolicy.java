package dev.faascell.policy.keepalive;

import dev.faascell.model.FunctionName;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Decides how long idle VMs stay alive, whom to evict when a new VM needs room, and (optionally) which
 * functions to pre-warm. A plain class without I/O or actors: the VmPool calls it — always from one
 * thread — and applies its answers; every answer carries the reason the pool logs and counts. Times are
 * nanoTime stamps of the caller's clock (a virtual clock in tests). Keeping a VM alive is independent
 * of snapshots: an evicted VM's function stays restorable.
 */
public interface KeepAlivePolicy {
  /** The policy's name in the configuration, e.g. "ttl". */
  String name();

  /** An invocation of {@code function} arrived (history for adaptive policies). */
  default void invoked(FunctionName function, long nowNanos) {
  }

  /** The pool stopped {@code vm} because this policy expired or evicted it. */
  default void stopped(IdleVm vm, long nowNanos) {
  }

  /** The idle VMs whose keep-alive has run out; the pool stops them. */
  List<Decision> expired(Collection<IdleVm> idle, long nowNanos);

  /**
   * Idle VMs to stop, in order, so that a new VM of {@code memoryMb} fits; the pool stops them until
   * it fits (all of them may not be needed).
   */
  List<Decision> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos);

  /**
   * Functions that should have a VM started now, ahead of their predicted next invocation.
   *
   * @param ready functions that have a VM (idle, starting or busy) already
   */
  default List<Prewarm> prewarm(Set<FunctionName> ready, long nowNanos) {
    return List.of();
  }

  /** Stop {@code vm}, because {@code reason}. */
  record Decision(IdleVm vm, String reason) {}

  /** Start a VM of {@code function} now, because {@code reason}. */
  record Prewarm(FunctionName function, String reason) {}
}
