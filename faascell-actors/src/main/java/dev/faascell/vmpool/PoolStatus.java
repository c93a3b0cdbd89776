package dev.faascell.vmpool;

import java.util.List;

/** The pool's state for GET /v1/status and tests. */
public record PoolStatus(List<VmStatus> vms, int maxVms, long memoryCapacityMb, long memoryReservedMb, int vcpuCapacity,
                         int vcpusHeld) {
  public PoolStatus {
    vms = List.copyOf(vms);
  }
}
