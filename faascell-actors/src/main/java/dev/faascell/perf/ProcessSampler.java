package dev.faascell.perf;

import dev.faascell.model.HostUsage;
import dev.faascell.vmm.VmInstance;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a VMM process's counters: CPU time (its cgroup's, or its threads' schedstat; nanoseconds),
 * the user/system split, page faults and resident set (/proc/pid/stat) and, less cheaply, the
 * proportional set size (smaps_rollup). Missing files (the process is gone) read as zero. Every
 * /proc read costs tens of microseconds on a virtualized host, so a per-invocation sample reads as
 * few files as it can.
 */
public final class ProcessSampler {
  /** USER_HZ: /proc reports user and system time in these ticks on every Linux architecture FaaSCell runs on. */
  private static final long TICK_NANOS = 10_000_000L;
  private static final long PAGE_KB = 4;

  private ProcessSampler() {
  }

  /**
   * The VMM process's counters now: CPU time from its cgroup when it has one (one read), else summed
   * over its threads' schedstat (a read per thread); faults, the user/system split and the resident
   * set from /proc/pid/stat; network bytes from the host's end of the VM's link.
   */
  public static HostUsage sample(VmInstance vm) {
    long pid = vm.pid();
    long cpu = vm.cpuNanos();
    if (cpu < 0) {
      cpu = threadsCpuNanos(pid);
      if (cpu < 0) {
        return HostUsage.NONE;
      }
    }
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the command name, which is in parentheses and may contain spaces
    String[] f = stat.isEmpty() ? new String[0] : stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    if (f.length < 22) {
      return HostUsage.NONE;
    }
    var traffic = vm.networkTraffic();
    return new HostUsage(cpu, Long.parseLong(f[11]) * TICK_NANOS, Long.parseLong(f[12]) * TICK_NANOS,
        Long.parseLong(f[7]), Long.parseLong(f[9]), Long.parseLong(f[21]) * PAGE_KB, vm.cpuThrottledNanos(),
        traffic.inBytes(), traffic.outBytes());
  }

  private static long threadsCpuNanos(long pid) {
    long cpu = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        String schedstat = read(task.resolve("schedstat"));
        if (!schedstat.isEmpty()) {
          cpu += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        }
      }
      return cpu;
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  /** What happened between two samples; the resident set is the later one's. */
  public static HostUsage delta(HostUsage before, HostUsage after) {
    if (before == HostUsage.NONE || after == HostUsage.NONE) {
      return HostUsage.NONE;
    }
    return new HostUsage(after.cpuNanos() - before.cpuNanos(), after.cpuUserNanos() - before.cpuUserNanos(),
        after.cpuSystemNanos() - before.cpuSystemNanos(), after.minorFaults() - before.minorFaults(),
        after.majorFaults() - before.majorFaults(), after.rssKb(), after.throttledNanos() - before.throttledNanos(),
        after.netInBytes() - before.netInBytes(), after.netOutBytes() - before.netOutBytes());
  }

  /** Proportional set size in KiB (walks the page tables: sampled periodically, not per invocation). */
  public static long pssKb(long pid) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "smaps_rollup")).split("\n")) {
      if (line.startsWith("Pss:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
