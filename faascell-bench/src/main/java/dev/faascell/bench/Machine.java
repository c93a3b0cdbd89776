package dev.faascell.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a benchmark ran on, for docs/BENCHMARKS.md. */
final class Machine {
  private Machine() {
  }

  static String describe() {
    String cpu = "unknown cpu";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
    } catch (IOException ignored) {
      // keep the default
    }
    long memMb = 0;
    try {
      memMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(0L);
    } catch (IOException ignored) {
      // keep 0
    }
    boolean pvm = Files.exists(Path.of("/sys/module/kvm_pvm"));
    return String.format("%d cores %s, %d MiB, %s, Java %s%s", Runtime.getRuntime().availableProcessors(), cpu, memMb,
        System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version"),
        pvm ? ", KVM-PVM host (guests run under TCG)" : "");
  }
}
