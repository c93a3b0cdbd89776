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
 */
public record PoolView(long assignsSeen, Map<String, Integer> idleByFunction, int freeVmSlots, long freeMemoryMb,
                       int idleVms, long idleMemoryMb) {
  public PoolView {
    idleByFunction = Map.copyOf(idleByFunction);
  }
}
