package dev.faascell.model;

/**
 * What the VMM process used on the host while it ran one invocation (PerfManager's numbers; all 0
 * when measurement is off): CPU time (all its threads, nanosecond precise; and the kernel's user /
 * system split, in 10 ms ticks), page faults, resident memory after, and time throttled by the VM's
 * cgroup CPU quota; and the bytes the guest received and sent over its network device (0 for a
 * function without network).
 */
public record HostUsage(long cpuNanos, long cpuUserNanos, long cpuSystemNanos, long minorFaults, long majorFaults,
                        long rssKb, long throttledNanos, long netInBytes, long netOutBytes) {
  public static final HostUsage NONE = new HostUsage(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
