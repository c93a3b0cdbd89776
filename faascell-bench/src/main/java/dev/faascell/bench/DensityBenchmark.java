package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.config.HostMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How many idle restored Python VMs the node holds: N invocations that all stay busy until one
 * moment (so that each gets a clone of its own), then the clones idle; measured: the VMs the node kept,
 * MiB per VM (the host's MemAvailable before and after, and PSS), idle CPU per VM, where one clone's
 * memory goes (from its smaps), and whether each still answers a warm call. Only admission limits are
 * widened (queue size and timeout) and every invocation starts a VM (always-start): memory decides.
 */
@Command(name = "density", description = "The most idle restored VMs the node holds, each still answering.")
final class DensityBenchmark implements Callable<Integer> {
  private static final long TICK_NANOS = 10_000_000L;
  /** A restore under load, generously (~0.4 s alone under TCG): how long the clones must stay busy to overlap. */
  private static final double ASSUMED_RESTORE_SECONDS = 1.0;

  @Option(names = "--n", defaultValue = "200")
  int n;

  @Mixin
  LoadOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    try (LoadNode load = LoadNode.start(options.imageCache, Map.of("faascell.dispatcher.queue-capacity", n + 16,
        "faascell.dispatcher.queue-timeout", "30m", "faascell.scaling.policy", "always-start",
        "faascell.keep-alive.ttl", "60m", "faascell.perf.sample-interval", "3s"))) {
      // keep-alive is long here: the first boot's VM stays, and every other clone is a restore
      load.deployNapper("napper", 1);
      load.invoke("napper", "{\"s\":0}");
      LoadNode.await(() -> load.get("/v1/snapshots").path("snapshots").size() == 1, "the snapshot");
      int slots = load.get("/v1/status").path("node").path("startSlots").asInt();
      long before = HostMemory.availableMb();
      // every invocation sleeps until one moment, late enough for the last clone to start
      double holdSeconds = 60 + 3 * n * ASSUMED_RESTORE_SECONDS / slots;
      double until = System.currentTimeMillis() / 1000.0 + holdSeconds;
      System.err.printf(Locale.ROOT, "starting %d clones, all busy until %.0f s from now%n", n, holdSeconds);
      List<LoadNode.Call> calls = load.burst("napper", String.format(Locale.ROOT, "{\"until\":%.3f}", until), n);
      long ok = calls.stream().filter(c -> c.status() == 200).count();
      Thread.sleep(7000);   // PerfManager samples every idle VM's PSS
      JsonNode status = load.get("/v1/status");
      List<Long> pids = new ArrayList<>();
      long pssKb = 0;
      int idle = 0;
      for (JsonNode vm : status.path("vms")) {
        idle += vm.path("state").asText().equals("idle") ? 1 : 0;
        pssKb += vm.path("host").path("pssKb").asLong();
        pids.add(vm.path("host").path("pid").asLong());
      }
      long after = HostMemory.availableMb();
      double idleCpuPercent = idleCpuPercentPerVm(pids);
      // the first VM is the function's first boot (its RAM is the snapshot's source): the last is a clone
      Map<String, Long> breakdown = smapsBreakdownKb(pids.get(pids.size() - 1));
      List<LoadNode.Call> warm = load.burst("napper", "{\"s\":1}", idle);
      long warmOk = warm.stream().filter(c -> c.status() == 200
          && c.reply().path("startKind").asText().equals("warm")).count();
      results.put("n", n);
      results.put("succeeded", ok);
      results.put("idle_vms", idle);
      results.put("mib_per_vm_host", (before - after) / (double) Math.max(1, idle));
      results.put("mib_per_vm_pss", pssKb / 1024.0 / Math.max(1, idle));
      results.put("host_available_before_mb", before);
      results.put("host_available_after_mb", after);
      results.put("idle_cpu_percent_per_vm", idleCpuPercent);
      results.put("one_clone_pss_kb", breakdown);
      results.put("warm_answers", warmOk);
      System.out.println("| clones asked | started | idle VMs held | MiB per VM (host) | MiB per VM (PSS) "
          + "| MemAvailable before / after MiB | idle CPU per VM | warm calls answered |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %.1f | %d / %d | %.2f %% of a core | %d / %d |%n", n, ok, idle,
          results.get("mib_per_vm_host"), results.get("mib_per_vm_pss"), before, after, idleCpuPercent, warmOk, idle);
      System.out.println("one clone's PSS by mapping (KiB): " + breakdown);
      System.out.println("machine: " + results.get("machine"));
    }
    options.write(results);
    return 0;
  }

  /** CPU the idle VMs' QEMU processes use over 10 s, per VM, in percent of one core. */
  private static double idleCpuPercentPerVm(List<Long> pids) throws Exception {
    long first = cpuTicks(pids);
    long start = System.nanoTime();
    Thread.sleep(10_000);
    long used = (cpuTicks(pids) - first) * TICK_NANOS;
    return 100.0 * used / (System.nanoTime() - start) / Math.max(1, pids.size());
  }

  private static long cpuTicks(List<Long> pids) {
    long ticks = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException gone) {
        // a VM that is gone uses nothing
      }
    }
    return ticks;
  }

  /**
   * Where one clone's memory goes, by mapping: the guest's RAM (the snapshot's RAM file, mapped
   * copy-on-write), the TCG translation cache (the largest anonymous mapping), QEMU's own heap and other
   * anonymous memory, and the program and its libraries.
   */
  static Map<String, Long> smapsBreakdownKb(long pid) throws IOException {
    Map<String, Long> kb = new LinkedHashMap<>();
    String category = "other";
    long size = 0;
    List<String[]> mappings = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        String[] parts = line.split("\\s+", 6);
        String[] range = parts[0].split("-");
        size = (Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16)) >> 10;
        String name = parts.length > 5 ? parts[5] : "";
        category = name.endsWith("memory.ram") || name.endsWith(".ram") ? "guest RAM (snapshot file, copy-on-write)"
            : name.equals("[heap]") ? "QEMU heap" : name.isEmpty() ? "anonymous" : "program and libraries";
        mappings.add(new String[] {category, Long.toString(size)});
      } else if (line.startsWith("Pss:")) {
        long pss = Long.parseLong(line.replaceAll("\\D", ""));
        String[] last = mappings.get(mappings.size() - 1);
        last[0] = last[0].equals("anonymous") && size >= 16 * 1024 ? "TCG translation cache" : last[0];
        kb.merge(last[0], pss, Long::sum);
      }
    }
    return kb;
  }
}
