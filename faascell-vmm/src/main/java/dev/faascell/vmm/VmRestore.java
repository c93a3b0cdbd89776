package dev.faascell.vmm;

import dev.faascell.guest.image.GuestImage;
import dev.faascell.model.NetworkPolicy;

/**
 * What to restore: a new VM with {@code vmId}, from a snapshot of a VM that ran {@code image} with the
 * same size and network. The snapshot's files must be intact (the caller checks their size and digest first).
 */
public record VmRestore(String vmId, GuestImage image, int memoryMb, int vcpus, SnapshotFiles snapshot,
                        NetworkPolicy network) {
  /** A VM without network. */
  public VmRestore(String vmId, GuestImage image, int memoryMb, int vcpus, SnapshotFiles snapshot) {
    this(vmId, image, memoryMb, vcpus, snapshot, NetworkPolicy.NONE);
  }

  public VmRestore {
    network = network == null ? NetworkPolicy.NONE : network;
    new VmLaunch(vmId, image, memoryMb, vcpus, new MemoryBacking.Anonymous());   // same checks
  }

  /** The launch of the QEMU process that receives the snapshot. */
  public VmLaunch launch() {
    MemoryBacking memory = snapshot.ram().<MemoryBacking>map(MemoryBacking.PrivateFile::new)
        .orElse(new MemoryBacking.Anonymous());
    return new VmLaunch(vmId, image, memoryMb, vcpus, memory, network);
  }
}
