package dev.faascell.vmm;

import dev.faascell.guest.image.GuestImage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What to start: the VM's id (used in its run directory name, so callers pass only ids they made),
 * the guest image, and the VM's size.
 *
 * @param ramFile when present, guest RAM lives in this file (shared mapping), which is what a
 *                snapshot of this VM is later made from
 */
public record VmLaunch(String vmId, GuestImage image, int memoryMb, int vcpus, Optional<Path> ramFile) {
  public VmLaunch {
    if (!vmId.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("VM ids are [a-z0-9-]{1,64}: " + vmId);
    }
    if (memoryMb < 16 || vcpus < 1) {
      throw new IllegalArgumentException("a VM needs at least 16 MiB and 1 vCPU");
    }
  }
}
