package dev.faascell.testing;

import dev.faascell.config.FaascellConfig;
import dev.faascell.guest.image.TestImages;
import dev.faascell.server.Node;
import dev.faascell.vmm.Accelerator;
import dev.faascell.vmm.qemu.QemuConfig;
import dev.faascell.vmm.qemu.QemuMicrovm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Helpers for tests on real QEMU microVMs. */
public final class RealNodes {
  private RealNodes() {
  }

  /** A node on real VMs with this test's own state and run dirs. */
  public static Node start(Path dir, java.util.Map<String, ?> overrides) throws Exception {
    TestImages.ensure();
    FaascellConfig config = TestNodes.config(dir, overrides);
    return Node.start(config, (step, steps, what) -> { });
  }

  /** Kills whatever QEMU processes a killed daemon left in {@code runDir}, as a restarted daemon would. */
  public static void reap(Path runDir) throws Exception {
    if (Files.isDirectory(runDir)) {
      new QemuMicrovm(new QemuConfig("qemu-system-x86_64", Accelerator.TCG, runDir, "", true, 64, 0, 0, null,
          Duration.ZERO)).reapStale();
    }
  }

  /** The QEMU processes whose command line names {@code runDir}: after a clean stop, none. */
  public static List<ProcessHandle> qemuProcessesUnder(Path runDir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
        .filter(p -> cmdline(p.pid()).contains(runDir.toString()))
        .toList();
  }

  /** What a run dir holds besides the daemon's lock file. */
  public static List<Path> leftoversIn(Path runDir) throws IOException {
    if (!Files.exists(runDir)) {
      return List.of();
    }
    try (var entries = Files.list(runDir)) {
      return entries.filter(p -> !p.getFileName().toString().equals("daemon.lock")).toList();
    }
  }

  /**
   * The VMs' cgroups under the node's cgroup parent (faascell.cgroups.parent), in every hierarchy: one
   * on cgroup v2, one per controller the node uses on v1.
   */
  public static List<Path> vmCgroupsUnder(String parent) throws IOException {
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> parents = Files.exists(root.resolve("cgroup.controllers")) ? List.of(root.resolve(parent))
        : Stream.of("cpu", "cpuacct", "cpuset", "memory").map(c -> root.resolve(c).resolve(parent)).toList();
    List<Path> cgroups = new ArrayList<>();
    for (Path dir : parents) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> children = Files.list(dir)) {
          children.filter(Files::isDirectory).forEach(cgroups::add);
        }
      }
    }
    return cgroups;
  }

  /** The processes in a cgroup. */
  public static List<Long> processesIn(Path cgroup) throws IOException {
    return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(line -> !line.isBlank())
        .map(Long::parseLong).toList();
  }

  /**
   * The network namespaces, host interfaces and nftables tables whose names start with a node's prefix
   * (faascell.network.name-prefix): after the node stopped, or was killed and restarted, none.
   */
  public static List<String> networkLeftovers(String prefix) throws IOException {
    List<String> found = new ArrayList<>();
    for (String line : dev.faascell.util.Command.of("ip", "netns", "list").run().split("\n")) {
      if (line.startsWith(prefix + "-")) {
        found.add("netns " + line.split(" ")[0]);
      }
    }
    for (String line : dev.faascell.util.Command.of("ip", "-o", "link", "show").run().split("\n")) {
      String[] fields = line.split(":\\s+");
      if (fields.length > 1 && fields[1].startsWith(prefix + "-")) {
        found.add("link " + fields[1].replaceFirst("@.*", ""));   // a veth is shown as name@peer
      }
    }
    for (String line : dev.faascell.util.Command.of("nft", "list", "tables").run().split("\n")) {
      if (line.strip().equals("table inet " + prefix)) {
        found.add(line.strip());
      }
    }
    return found;
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
