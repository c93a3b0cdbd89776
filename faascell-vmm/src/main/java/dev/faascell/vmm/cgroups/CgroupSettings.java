package dev.faascell.vmm.cgroups;

import java.time.Duration;

/**
 * faascell.cgroups: how each VM's QEMU process is limited by the kernel.
 *
 * @param enabled          auto (when the cgroup file system is writable), on, off
 * @param parent           the VMs' cgroups live under this one
 * @param cpuQuotaPerVcpu  CPU quota = vcpus x period x this
 * @param vmOverheadMb     what QEMU itself needs beyond the guest's memory
 * @param memoryHeadroomMb added to guest memory + overhead for the memory limit
 * @param pinning          none, or spread (cpusets round-robin over the host's cores)
 * @param nodeMemoryBytes  the memory limit of the parent, which all VMs share (0: none), so that the
 *                         kernel's OOM killer picks a VM before the host or the daemon runs out
 */
public record CgroupSettings(String enabled, String parent, double cpuQuotaPerVcpu, Duration cpuPeriod, int vmOverheadMb,
                             int memoryHeadroomMb, String pinning, long nodeMemoryBytes) {

  /** The limits of a VM of this size. */
  public VmLimits limitsFor(int memoryMb, int vcpus) {
    return new VmLimits(vcpus * cpuQuotaPerVcpu, cpuPeriod, ((long) memoryMb + vmOverheadMb + memoryHeadroomMb) << 20, vcpus);
  }
}
