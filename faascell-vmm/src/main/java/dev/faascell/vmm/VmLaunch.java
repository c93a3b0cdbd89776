package dev.faascell.vmm;

import dev.faascell.guest.image.GuestImage;
import dev.faascell.model.NetworkPolicy;

/**
 * What to start: the VM's id (used in its run directory name, so callers pass only ids they made),
 * the guest image, and the VM's size.
 *
 * @param memory  where the guest RAM lives; a SHARED_RAM snapshot needs a shared file
 * @param network the VM's network: none (no network device), or a namespace of its own with these rules
 */
public record VmLaunch(String vmId, GuestImage image, int memoryMb, int vcpus, MemoryBacking memory,
                       NetworkPolicy network) {
  /** A VM without network. */
  public VmLaunch(String vmId, GuestImage image, int memoryMb, int vcpus, MemoryBacking memory) {
    this(vmId, image, memoryMb, vcpus, memory, NetworkPolicy.NONE);
  }

  public VmLaunch {
    network = network == null ? NetworkPolicy.NONE : network;
    if (!vmId.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("VM ids are [a-z0-9-]{1,64}: " + vmId);
    }
    if (memoryMb < 16 || vcpus < 1) {
      throw new IllegalArgumentException("a VM needs at least 16 MiB and 1 vCPU");
    }
  }
}
