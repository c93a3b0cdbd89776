package dev.faascell.perf;

import dev.faascell.model.HostUsage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a VMM process's counters from /proc: CPU time of all its threads (schedstat, nanoseconds),
 * the user/system split and page faults (stat), resident set (statm) and, less cheaply, the
 * proportional set size (smaps_rollup). Missing files (the process is gone) read as zero.
 */
public final class ProcessSampler {
  /** USER_HZ: /proc reports user and system time in these ticks on every Linux architecture FaaSCell runs on. */
  private static final long TICK_NANOS = 10_000_000L;
  private static final long PAGE_KB = 4;

  private ProcessSampler() {
  }

  /** The process's counters now. */
  public static HostUsage sample(long pid, long throttledNanos) {
    Path proc = Path.of("/proc", Long.toString(pid));
    long cpu = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        String schedstat = read(task.resolve("schedstat"));
        if (!schedstat.isEmpty()) {
          cpu += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        }
      }
    } catch (IOException | RuntimeException gone) {
      return HostUsage.NONE;
    }
    String stat = read(proc.resolve("stat"));
    // fields after the command name, which is in parentheses and may contain spaces
    String[] f = stat.isEmpty() ? new String[0] : stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long minor = f.length > 13 ? Long.parseLong(f[7]) : 0;
    long major = f.length > 13 ? Long.parseLong(f[9]) : 0;
    long user = f.length > 13 ? Long.parseLong(f[11]) * TICK_NANOS : 0;
    long system = f.length > 13 ? Long.parseLong(f[12]) * TICK_NANOS : 0;
    String statm = read(proc.resolve("statm"));
    long rssKb = statm.isEmpty() ? 0 : Long.parseLong(statm.split(" ")[1]) * PAGE_KB;
    return new HostUsage(cpu, user, system, minor, major, rssKb, throttledNanos);
  }

  /** What happened between two samples; the resident set is the later one's. */
  public static HostUsage delta(HostUsage before, HostUsage after) {
    if (before == HostUsage.NONE || after == HostUsage.NONE) {
      return HostUsage.NONE;
    }
    return new HostUsage(after.cpuNanos() - before.cpuNanos(), after.cpuUserNanos() - before.cpuUserNanos(),
        after.cpuSystemNanos() - before.cpuSystemNanos(), after.minorFaults() - before.minorFaults(),
        after.majorFaults() - before.majorFaults(), after.rssKb(), after.throttledNanos() - before.throttledNanos());
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
