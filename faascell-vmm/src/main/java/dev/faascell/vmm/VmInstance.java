package dev.faascell.vmm;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One running VM as its VMM driver sees it. Whoever launched it must end it with {@link #stop} or
 * {@link #kill}; both reap the VMM process and remove every socket and file the VM had.
 */
public interface VmInstance {
  String id();

  /** The VMM process id, for host-side measurements (PerfManager) and cgroups. */
  long pid();

  /** The host end of the guest agent's channel (a Unix socket). */
  Path channelSocket();

  boolean isAlive();

  /** Completes with the VMM's exit code when its process ends, however it ends. */
  CompletableFuture<Integer> exited();

  /**
   * Pauses the VM, writes a snapshot of {@code format} into {@code dir} (which must exist and be
   * empty), and resumes the VM, which keeps its state: it can go on serving. Blocks.
   */
  SnapshotFiles snapshot(java.nio.file.Path dir, SnapshotFormat format) throws VmmException;

  /** Asks the VMM to quit, kills it if it has not within {@code graceMillis}, then cleans up. Blocks. */
  void stop(long graceMillis);

  /** Kills the VMM at once and cleans up. Blocks until the process is gone. */
  void kill();

  /** The limits the kernel enforces on the VMM process (cgroup files and values); empty if none. */
  default java.util.Map<String, String> limits() {
    return java.util.Map.of();
  }

  /** CPU time the VMM process used so far (from its cgroup: one cheap read), in nanoseconds; -1 if unknown. */
  default long cpuNanos() {
    return -1;
  }

  /** Time the VMM process was throttled by its cgroup's CPU quota so far, in nanoseconds; 0 if unknown. */
  default long cpuThrottledNanos() {
    return 0;
  }

  /** Bytes into and out of the guest over its network device so far (a VM without one has none). */
  default dev.faascell.network.NetworkAttachment.Traffic networkTraffic() {
    return dev.faascell.network.NetworkAttachment.Traffic.NONE;
  }

  /** The last lines the guest printed on its console and the VMM on its stderr, for error messages. */
  String diagnostics();
}
