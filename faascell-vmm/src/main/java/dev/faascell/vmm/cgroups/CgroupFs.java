package dev.faascell.vmm.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroups through their file system, v1 or v2. The hierarchies to use are found at construction; a
 * VM's cgroup is a directory named after the VM under the configured parent in each of them.
 */
public final class CgroupFs implements Cgroups {
  private static final Logger log = LoggerFactory.getLogger(CgroupFs.class);
  private static final List<String> V1_CONTROLLERS = List.of("cpu", "cpuacct", "cpuset", "memory");

  private final boolean v2;
  private final Path root;
  private final String parent;
  private final String pinning;
  private final int hostCpus;
  private final AtomicInteger nextCpu = new AtomicInteger();

  private CgroupFs(boolean v2, Path root, String parent, String pinning) {
    this.v2 = v2;
    this.root = root;
    this.parent = parent;
    this.pinning = pinning;
    this.hostCpus = Runtime.getRuntime().availableProcessors();
  }

  /**
   * The cgroups of this host under {@code root} (normally /sys/fs/cgroup), or {@link Cgroups#NONE}
   * when disabled, or when "auto" and they are not usable; "on" fails instead.
   */
  public static Cgroups detect(Path root, CgroupSettings settings) throws IOException {
    if (settings.enabled().equals("off")) {
      return NONE;
    }
    if (!settings.parent().matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("faascell.cgroups.parent must be a plain name, not " + settings.parent());
    }
    boolean v2 = Files.exists(root.resolve("cgroup.controllers"));
    CgroupFs cgroups = new CgroupFs(v2, root, settings.parent(), settings.pinning());
    try {
      cgroups.prepareParent(settings.nodeMemoryBytes());
      return cgroups;
    } catch (IOException | RuntimeException e) {
      if (settings.enabled().equals("on")) {
        throw new IOException("cgroups are not usable under " + root + ": " + e.getMessage(), e);
      }
      log.warn("event=cgroups-disabled reason=\"{}\"", e.getMessage());
      return NONE;
    }
  }

  /**
   * Creates the parent, lets it hand the controllers (and, on v1, its cpus and mems) down, and limits
   * the memory of all VMs together to {@code nodeMemoryBytes} (0: no node limit).
   */
  private void prepareParent(long nodeMemoryBytes) throws IOException {
    if (v2) {
      Path dir = root.resolve(parent);
      Files.createDirectories(dir);
      enableControllers(root);
      enableControllers(dir);
      write(dir.resolve("memory.max"), nodeMemoryBytes > 0 ? Long.toString(nodeMemoryBytes) : "max");
      return;
    }
    for (String controller : V1_CONTROLLERS) {
      Path hierarchy = root.resolve(controller);
      if (!Files.isDirectory(hierarchy)) {
        throw new IOException("no cgroup v1 " + controller + " hierarchy at " + hierarchy);
      }
      Path dir = hierarchy.resolve(parent);
      Files.createDirectories(dir);
      if (controller.equals("cpuset")) {
        inherit(hierarchy, dir, "cpuset.cpus");
        inherit(hierarchy, dir, "cpuset.mems");
      }
      if (controller.equals("memory")) {
        // -1: no limit; a limit below what the VMs in it already use is refused by the kernel (EBUSY)
        write(dir.resolve("memory.limit_in_bytes"), nodeMemoryBytes > 0 ? Long.toString(nodeMemoryBytes) : "-1");
      }
    }
  }

  private static void enableControllers(Path dir) throws IOException {
    Path control = dir.resolve("cgroup.subtree_control");
    String available = read(dir.resolve("cgroup.controllers"));
    for (String controller : List.of("cpu", "cpuset", "memory")) {
      if (available.contains(controller) && !read(control).contains(controller)) {
        write(control, "+" + controller);
      }
    }
  }

  private static void inherit(Path from, Path to, String file) throws IOException {
    if (read(to.resolve(file)).isBlank()) {
      write(to.resolve(file), read(from.resolve(file)));
    }
  }

  @Override
  public Placement place(String vmId, long pid, VmLimits limits) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    String cpuset = cpuset(limits.vcpus());
    if (v2) {
      Path dir = root.resolve(parent).resolve(vmId);
      Files.createDirectories(dir);
      set(values, dir, "cpu.max", limits.quotaMicros() + " " + limits.periodMicros());
      set(values, dir, "memory.max", Long.toString(limits.memoryBytes()));
      if (cpuset != null) {
        set(values, dir, "cpuset.cpus", cpuset);
      }
      write(dir.resolve("cgroup.procs"), Long.toString(pid));
      return new Placed(List.of(dir), values, dir.resolve("cpu.stat"), "usage_usec", dir.resolve("cpu.stat"),
          "throttled_usec", 1000);
    }
    Path cpu = root.resolve("cpu").resolve(parent).resolve(vmId);
    Path cpuacct = root.resolve("cpuacct").resolve(parent).resolve(vmId);
    Path cpusetDir = root.resolve("cpuset").resolve(parent).resolve(vmId);
    Path memory = root.resolve("memory").resolve(parent).resolve(vmId);
    for (Path dir : List.of(cpu, cpuacct, cpusetDir, memory)) {
      Files.createDirectories(dir);
    }
    set(values, cpu, "cpu.cfs_period_us", Long.toString(limits.periodMicros()));
    set(values, cpu, "cpu.cfs_quota_us", Long.toString(limits.quotaMicros()));
    set(values, cpusetDir, "cpuset.cpus", cpuset != null ? cpuset : read(cpusetDir.getParent().resolve("cpuset.cpus")));
    set(values, cpusetDir, "cpuset.mems", read(cpusetDir.getParent().resolve("cpuset.mems")));
    set(values, memory, "memory.limit_in_bytes", Long.toString(limits.memoryBytes()));
    for (Path dir : List.of(cpu, cpuacct, cpusetDir, memory)) {
      write(dir.resolve("cgroup.procs"), Long.toString(pid));
    }
    return new Placed(List.of(cpu, cpuacct, cpusetDir, memory), values, cpuacct.resolve("cpuacct.usage"), null,
        cpu.resolve("cpu.stat"), "throttled_time", 1);
  }

  /** The pinning policy: none, or spread (each VM's vCPUs on the next cores round-robin). */
  private String cpuset(int vcpus) {
    if (!pinning.equals("spread")) {
      return null;
    }
    StringBuilder cpus = new StringBuilder();
    for (int i = 0; i < Math.min(vcpus, hostCpus); i++) {
      cpus.append(cpus.length() > 0 ? "," : "").append(Math.floorMod(nextCpu.getAndIncrement(), hostCpus));
    }
    return cpus.toString();
  }

  private static void set(Map<String, String> values, Path dir, String file, String value) throws IOException {
    write(dir.resolve(file), value);
    values.put(file, read(dir.resolve(file)).strip());
  }

  /**
   * One VM's cgroup directories and where its counters are: CPU usage ({@code usageKey} null: the
   * whole file is the number, in nanoseconds) and throttled time, in {@code unitNanos}.
   */
  private record Placed(List<Path> dirs, Map<String, String> values, Path usageFile, String usageKey, Path statFile,
                        String throttledKey, long unitNanos) implements Placement {
    @Override
    public Map<String, String> limits() {
      return Map.copyOf(values);
    }

    @Override
    public long cpuUsageNanos() {
      long value = counter(usageFile, usageKey);
      return value < 0 ? -1 : (usageKey == null ? value : value * unitNanos);
    }

    @Override
    public long throttledNanos() {
      return Math.max(0, counter(statFile, throttledKey) * unitNanos);
    }

    @Override
    public void remove() {
      for (Path dir : dirs) {
        removeDirectory(dir);
      }
    }

    private static long counter(Path file, String key) {
      try {
        String text = read(file);
        if (key == null) {
          return Long.parseLong(text);
        }
        for (String line : text.split("\n")) {
          if (line.startsWith(key + " ")) {
            return Long.parseLong(line.substring(key.length() + 1).strip());
          }
        }
      } catch (IOException | NumberFormatException e) {
        return -1;
      }
      return -1;
    }
  }

  /** rmdir only: a cgroup directory's files are virtual and go with it; it fails while tasks remain. */
  private static void removeDirectory(Path dir) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException busy) {
        try {
          Thread.sleep(10);   // the exited process's last threads are still leaving
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    log.warn("event=cgroup-not-removed dir={}", dir);
  }

  @Override
  public void removeParent() {
    List<Path> parents = v2 ? List.of(root.resolve(parent))
        : V1_CONTROLLERS.stream().map(c -> root.resolve(c).resolve(parent)).toList();
    for (Path dir : parents) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException stillInUse) {
        // another daemon's VMs are in it
      }
    }
  }

  @Override
  public void removeStale() {
    List<Path> parents = v2 ? List.of(root.resolve(parent))
        : V1_CONTROLLERS.stream().map(c -> root.resolve(c).resolve(parent)).toList();
    for (Path dir : parents) {
      try (Stream<Path> children = Files.list(dir)) {
        children.filter(Files::isDirectory).forEach(CgroupFs::removeDirectory);
      } catch (IOException e) {
        log.warn("event=cgroups-unreadable dir={} reason=\"{}\"", dir, e.getMessage());
      }
    }
  }

  @Override
  public String describe() {
    return (v2 ? "cgroup v2" : "cgroup v1 (cpu, cpuset, memory)") + " under " + parent
        + (pinning.equals("spread") ? ", cpusets spread" : "");
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
  }

  private static void write(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
  }
}
