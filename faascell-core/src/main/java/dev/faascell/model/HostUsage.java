package dev.faascell.model;

/**
 * What the VMM process used on the host while it ran one invocation (PerfManager's numbers; all 0
 * when measurement is off): CPU time (all its threads, nanosecond precise; and the kernel's user /
 * system split, in 10 ms ticks), page faults, resident memory after, and time throttled by the VM's
 * cgroup CPU quota.
 */
public record HostUsage(long cpuNanos, long cpuUserNanos, long cpuSystemNanos, long minorFaults, long majorFaults,
                        long rssKb, long throttledNanos) {
  public static final HostUsage NONE = new HostUsage(0, 0, 0, 0, 0, 0, 0);
}
