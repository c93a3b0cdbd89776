package dev.faascell.vmpool;

import java.util.List;

/**
 * The pool's state for GET /v1/status and tests.
 *
 * @param memoryCapacityMb what the VMs' accounted memory may add up to
 * @param memoryAccountedMb what it adds up to now (estimates, raised to measured footprints)
 * @param hostAvailableMb  the host's latest MemAvailable reading (-1 before the first)
 */
public record PoolStatus(List<VmStatus> vms, int maxVms, long memoryCapacityMb, long memoryAccountedMb,
                         long memoryReserveMb, long hostAvailableMb, int vcpuCapacity, int vcpusHeld, int startSlots,
                         int startSlotsInUse, int startsWaiting) {
  public PoolStatus {
    vms = List.copyOf(vms);
  }
}
