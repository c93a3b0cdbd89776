package dev.faascell.vmm.cgroups;

import java.io.IOException;

/**
 * Puts each VMM process into its own cgroup with a CPU quota, an optional cpuset and a memory limit,
 * and removes the cgroup with the VM. Implementations: cgroup v1 (cpu, cpuset, memory hierarchies)
 * and cgroup v2 (one unified hierarchy), detected at start-up; or none.
 */
public interface Cgroups {
  /** Moves {@code pid} (all its threads) into a new cgroup for {@code vmId} with {@code limits}. */
  Placement place(String vmId, long pid, VmLimits limits) throws IOException;

  /** Removes VM cgroups an earlier daemon left under the parent (their processes are gone by then). */
  void removeStale();

  /** Removes the parent cgroup if no VM is left in it (when the daemon stops). */
  default void removeParent() {
  }

  /** For logs and status, e.g. "cgroup v1 (cpu, cpuset, memory) under faascell". */
  String describe();

  /** One VM's cgroup. */
  interface Placement {
    /** The files that hold its limits, for tests and diagnostics. */
    java.util.Map<String, String> limits();

    /** CPU time of everything in the cgroup so far, in nanoseconds; -1 if not known. */
    default long cpuUsageNanos() {
      return -1;
    }

    /** Time throttled by the CPU quota so far (cpu.stat), in nanoseconds. */
    default long throttledNanos() {
      return 0;
    }

    /** Removes the cgroup; call after the process has exited. */
    void remove();
  }

  /** No limits: VMs run in the daemon's own cgroup. */
  Cgroups NONE = new Cgroups() {
    public Placement place(String vmId, long pid, VmLimits limits) {
      return new Placement() {
        public java.util.Map<String, String> limits() {
          return java.util.Map.of();
        }

        public void remove() {
        }
      };
    }

    public void removeStale() {
    }

    public String describe() {
      return "none";
    }
  };
}
