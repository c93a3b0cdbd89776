package dev.faascell.vmm.cgroups;

import java.time.Duration;

/** What the kernel enforces on one VM's VMM process: CPU time per period, memory, and (pinning) its vCPU count. */
public record VmLimits(double cpus, Duration cpuPeriod, long memoryBytes, int vcpus) {
  public long quotaMicros() {
    return Math.max(1000, (long) (cpus * cpuPeriod.toNanos() / 1000));
  }

  public long periodMicros() {
    return cpuPeriod.toNanos() / 1000;
  }
}
