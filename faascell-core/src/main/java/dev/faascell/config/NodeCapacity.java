package dev.faascell.config;

/**
 * What the node may give VMs (faascell.node). A VM reserves its guest memory plus
 * {@code vmOverheadMb} for the VMM process itself.
 */
public record NodeCapacity(int maxVms, int memoryMb, int vmOverheadMb) {
  public int reservationMb(int guestMemoryMb) {
    return guestMemoryMb + vmOverheadMb;
  }
}
