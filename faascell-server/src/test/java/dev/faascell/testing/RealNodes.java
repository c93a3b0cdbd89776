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
import java.util.List;

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
      new QemuMicrovm(new QemuConfig("qemu-system-x86_64", Accelerator.TCG, runDir, "", true, 64, 0, 0, null)).reapStale();
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

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
