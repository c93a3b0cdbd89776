package dev.faascell.policy.keepalive;

import java.util.Collection;
import java.util.List;

/**
 * Decides how long idle VMs stay alive. A plain class without I/O or actors: the VmPool calls it and
 * applies its answers. Keeping a VM alive is independent of snapshots: an evicted VM's function stays
 * restorable.
 */
public interface KeepAlivePolicy {
  /** The idle VMs whose keep-alive has run out at {@code nowNanos}; the pool stops them. */
  List<IdleVm> expired(Collection<IdleVm> idle, long nowNanos);

  /**
   * Idle VMs to stop, in order, so that a new VM of {@code memoryMb} fits; the pool stops them until
   * the new VM fits (all of them may not be needed).
   */
  List<IdleVm> victims(Collection<IdleVm> idle, int memoryMb, long nowNanos);

  /** The policy's name in the configuration, e.g. "ttl". */
  String name();
}
