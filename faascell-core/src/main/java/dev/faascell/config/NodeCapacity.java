package dev.faascell.config;

/**
 * What the node may give VMs (faascell.node). A VM reserves its guest memory plus
 * {@code vmOverheadMb} for the VMM process itself for as long as it lives, and its vCPUs while it is
 * starting or running an invocation.
 */
public record NodeCapacity(int maxVms, int memoryMb, int vmOverheadMb, int vcpus) {
  public int reservationMb(int guestMemoryMb) {
    return guestMemoryMb + vmOverheadMb;
  }
}
