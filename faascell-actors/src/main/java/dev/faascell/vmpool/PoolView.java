package dev.faascell.vmpool;

import java.util.Map;

/**
 * What the VmPool can take right now, as it tells the Dispatcher after every change. A hint for the
 * Dispatcher's planning, not a promise: the pool re-checks every assignment and returns the ones it
 * cannot honour.
 *
 * @param assignsSeen     the sequence number of the last assignment the pool had processed when it
 *                        made this view; the Dispatcher re-applies the ones it sent after it
 * @param idleByFunction  idle VMs per function version key ({@code name@version})
 * @param freeVmSlots     VMs that may still be started
 * @param freeMemoryMb    memory not reserved by any VM
 * @param idleMemoryMb    memory held by idle VMs, which the keep-alive policy may reclaim
 * @param freeVcpus       vCPUs not held by starting or busy VMs
 * @param activeByFunction starting and busy VMs per function name (for per-function concurrency limits)
 * @param stoppingVms     VMs being stopped, whose room is about to be free: a new VM that fits once
 *                        they are gone waits for them rather than evicting more
 */
public record PoolView(long assignsSeen, Map<String, Integer> idleByFunction, int freeVmSlots, long freeMemoryMb,
                       int idleVms, long idleMemoryMb, int freeVcpus, Map<String, Integer> activeByFunction,
                       int stoppingVms, long stoppingMemoryMb) {
  public PoolView {
    idleByFunction = Map.copyOf(idleByFunction);
    activeByFunction = Map.copyOf(activeByFunction);
  }
}
