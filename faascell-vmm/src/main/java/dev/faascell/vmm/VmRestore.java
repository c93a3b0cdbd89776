package dev.faascell.vmm;

import dev.faascell.guest.image.GuestImage;

/**
 * What to restore: a new VM with {@code vmId}, from a snapshot of a VM that ran {@code image} with the
 * same size. The snapshot's files must be intact (the caller checks their size and digest first).
 */
public record VmRestore(String vmId, GuestImage image, int memoryMb, int vcpus, SnapshotFiles snapshot) {
  public VmRestore {
    new VmLaunch(vmId, image, memoryMb, vcpus, new MemoryBacking.Anonymous());   // same checks
  }

  /** The launch of the QEMU process that receives the snapshot. */
  public VmLaunch launch() {
    MemoryBacking memory = snapshot.ram().<MemoryBacking>map(MemoryBacking.PrivateFile::new)
        .orElse(new MemoryBacking.Anonymous());
    return new VmLaunch(vmId, image, memoryMb, vcpus, memory);
  }
}
