package dev.faascell.vmm;

import dev.faascell.guest.image.GuestImage;

/**
 * What to start: the VM's id (used in its run directory name, so callers pass only ids they made),
 * the guest image, and the VM's size.
 *
 * @param memory where the guest RAM lives; a SHARED_RAM snapshot needs a shared file
 */
public record VmLaunch(String vmId, GuestImage image, int memoryMb, int vcpus, MemoryBacking memory) {
  public VmLaunch {
    if (!vmId.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("VM ids are [a-z0-9-]{1,64}: " + vmId);
    }
    if (memoryMb < 16 || vcpus < 1) {
      throw new IllegalArgumentException("a VM needs at least 16 MiB and 1 vCPU");
    }
  }
}
