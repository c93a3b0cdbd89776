package dev.faascell.config;

/**
 * What the node may give VMs (faascell.node). A VM is accounted by what it costs the host: a booted VM
 * by its guest memory plus {@code vmOverheadMb} (it may touch all of its guest memory), a restored clone
 * by its function's measured clone footprint (it shares the snapshot's pages), {@code restoreEstimateMb}
 * until one was measured. vCPUs are held only while a VM runs an invocation; VM starts go through
 * {@code startSlots} slots.
 *
 * @param maxVms            most VMs alive at once, idle ones included
 * @param memoryMb          what the VMs' accounted memory may add up to
 * @param reserveMb         host memory (MemAvailable) that no VM start may eat into
 * @param vmOverheadMb      what a booted VM costs beyond its guest memory (QEMU, the TCG code cache)
 * @param restoreEstimateMb what a restored clone is assumed to cost until clones of its function were measured
 * @param vcpus             vCPUs that VMs running an invocation may hold at once
 * @param startSlots        VM starts (restores and boots) under way at once
 */
public record NodeCapacity(int maxVms, long memoryMb, long reserveMb, int vmOverheadMb, int restoreEstimateMb,
                           int vcpus, int startSlots) {
  public NodeCapacity {
    if (maxVms < 1 || memoryMb < 1 || vcpus < 1 || startSlots < 1) {
      throw new IllegalArgumentException("node capacity must allow at least one VM, MiB, vCPU and start slot");
    }
  }

  /** A node with these limits, no host reserve, the default estimates and two start slots (tests). */
  public static NodeCapacity of(int maxVms, long memoryMb, int vmOverheadMb, int vcpus) {
    return new NodeCapacity(maxVms, memoryMb, 0, vmOverheadMb, 64, vcpus, 2);
  }

  public NodeCapacity withStartSlots(int slots) {
    return new NodeCapacity(maxVms, memoryMb, reserveMb, vmOverheadMb, restoreEstimateMb, vcpus, slots);
  }

  /** What a booted VM of {@code guestMemoryMb} is accounted at. */
  public int bootEstimateMb(int guestMemoryMb) {
    return guestMemoryMb + vmOverheadMb;
  }
}
