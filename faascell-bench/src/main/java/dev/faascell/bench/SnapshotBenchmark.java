package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.client.KeepAliveConnection;
import dev.faascell.replay.report.BarFigure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A restore side by side with what it is measured against, in one run, with the sample Python function:
 * cold boots and restores through the HTTP API; the same restore without FaaSCell, doing exactly what
 * the node does (the node's QEMU driver and cgroup limits, a QEMU kept ready with the snapshot loaded,
 * the one RUN that carries the clock and entropy) and the least a restore can do (the same, RUN only);
 * and a runc container of the same function on the guest image's root filesystem, cold and warm. The
 * four restore-class paths take turns in every round, so a noisy moment hits them alike. Then N restores
 * at once, with the memory (PSS) of every clone and of every QEMU kept ready.
 */
@Command(name = "snapshot", description = "Restore vs like-for-like raw restores vs runc, cold boots, concurrent clones, memory per clone.")
final class SnapshotBenchmark implements Callable<Integer> {
  /** The table's rows, in order: result key → label ({n}: the number of invocations at once). */
  private static final Map<String, String> ROWS = new LinkedHashMap<>();

  static {
    ROWS.put("cold_http", "cold boot → result, HTTP API");
    ROWS.put("restore_http", "restore → result, HTTP API");
    ROWS.put("restore_stage", "restore stage inside FaaSCell (restoreMs)");
    ROWS.put("raw_restore_like_node", "raw restore like the node's (ready QEMU, cont, RUN with clock + entropy)");
    ROWS.put("raw_restore_run_only", "raw restore, RUN only (ready QEMU, cont, RUN)");
    ROWS.put("runc_cold", "runc cold start (`runc run` one-shot)");
    ROWS.put("runc_warm", "runc warm call (line in, line out)");
    ROWS.put("concurrent_clones_http", "{n} invocations at once, no warm VM, HTTP API");
  }

  private static final Duration TTL = Duration.ofSeconds(2);

  @Option(names = "--cold", defaultValue = "3")
  int colds;

  @Option(names = "--rounds", defaultValue = "15", description = "rounds of restore, raw restores and runc cold start")
  int rounds;

  @Option(names = "--warm", defaultValue = "300", description = "warm calls into the runc container")
  int warms;

  @Option(names = "--clones", defaultValue = "8")
  int clones;

  @Mixin
  LoadOptions options;

  @Mixin
  SampleNodeOptions node;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    try (SampleFunctionNode bench = SampleFunctionNode.start(options.imageCache, TTL, Math.max(8, clones), node.overrides)) {
      List<Long> cold = new ArrayList<>();
      for (int i = 1; i <= colds; i++) {
        bench.deploy(i);
        cold.add(SampleFunctionNode.timed(bench.http, "cold"));
        bench.awaitSnapshot();
      }
      results.put("cold_http", Stats.of(cold));
      try (RawRestores raw = bench.rawRestores(); RuncBaseline runc = RuncBaseline.open(bench.image(), bench.code)) {
        System.err.println("cold starts done; " + rounds + " rounds of restore, raw restores and runc cold start");
        rounds(bench, raw, runc, results);
        try (RuncBaseline.Warm container = runc.warm()) {
          List<Long> warm = new ArrayList<>();
          for (int i = 0; i <= warms; i++) {
            long nanos = container.call(SampleFunctionNode.EVENT, SampleFunctionNode.EXPECTED);
            if (i > 0) {   // the first call pays the interpreter's start
              warm.add(nanos);
            }
          }
          results.put("runc_warm", Stats.of(warm));
        }
      }
      bench.awaitNoVms();
      Map<Long, Long> waiting = cpuTicks(qemuPids(bench.runDir()));   // no VM runs: every QEMU is a ready one
      results.put("prestarted_pss_mib", toMib(pss(waiting.keySet())));
      Map<String, Integer> startKinds = new TreeMap<>();
      results.put("concurrent_clones_http", Stats.of(concurrentClones(bench.node.port(), startKinds)));
      results.put("concurrent_start_kinds", startKinds);
      // the clones: QEMUs started for a restore (named after their VM), and ready ones a restore took (their
      // guest has used CPU since); not those still ready, nor those started since to replace the taken ones
      Map<Long, Long> now = cpuTicks(qemuPids(bench.runDir()));
      Set<Long> clonePids = now.keySet().stream().filter(pid -> waiting.containsKey(pid)
          ? now.get(pid) - waiting.get(pid) > 2 : !read(Path.of("/proc", Long.toString(pid), "cmdline"))
              .contains("-name faascell-pre-")).collect(Collectors.toSet());
      results.put("clone_pss_mib", toMib(pss(clonePids)));
      report(results);
    }
    options.write(results);
    node.writeReport(() -> htmlReport(results));
    return 0;
  }

  @SuppressWarnings("unchecked")
  private String htmlReport(Map<String, Object> results) {
    List<BarFigure.Bar> latency = new ArrayList<>();
    ROWS.forEach((key, label) -> {
      Stats stats = (Stats) results.get(key);
      latency.add(new BarFigure.Bar(label.replaceAll(" \\(.*", "").replace("{n}", String.valueOf(clones)), stats.p50Ms(),
          stats.p99Ms()));
    });
    List<BarFigure.Bar> memory = new ArrayList<>();
    ((List<Long>) results.get("clone_pss_mib")).forEach(mib -> memory.add(new BarFigure.Bar("restored clone", mib,
        Double.NaN)));
    ((List<Long>) results.get("prestarted_pss_mib")).forEach(mib -> memory.add(new BarFigure.Bar("QEMU kept ready",
        mib, Double.NaN)));
    return BarFigure.page("FaaSCell restore vs its baselines (" + results.get("machine") + ")", List.of(
        new String[] {"Latency", BarFigure.render("Latency by path", latency, "ms (log)", true, "median", "p99")},
        new String[] {"Memory", BarFigure.render("PSS per QEMU process", memory, "MiB", false, "PSS", "")}));
  }

  /** Each round runs the four paths once, starting one later each round. */
  private void rounds(SampleFunctionNode bench, RawRestores raw, RuncBaseline runc, Map<String, Object> results)
      throws Exception {
    Map<String, List<Long>> samples = new LinkedHashMap<>();
    List<String> paths = List.of("restore_http", "raw_restore_like_node", "raw_restore_run_only", "runc_cold");
    paths.forEach(path -> samples.put(path, new ArrayList<>()));
    List<Long> restoreStage = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < paths.size(); i++) {
        String path = paths.get((round + i) % paths.size());
        long nanos = switch (path) {
          case "restore_http" -> {
            bench.awaitNoVms();
            Thread.sleep(500);   // the node's refill of its ready QEMU has finished, as the raw path waits for its own
            long start = System.nanoTime();
            JsonNode reply = SampleFunctionNode.invoke(bench.http, "restore");
            long elapsed = System.nanoTime() - start;
            restoreStage.add((long) (reply.path("restoreMs").asDouble() * 1e6));
            yield elapsed;
          }
          case "raw_restore_like_node" -> raw.restoreAndRun(SampleFunctionNode.PAYLOAD, true);
          case "raw_restore_run_only" -> raw.restoreAndRun(SampleFunctionNode.PAYLOAD, false);
          default -> runc.coldStart(SampleFunctionNode.EVENT, SampleFunctionNode.EXPECTED);
        };
        samples.get(path).add(nanos);
      }
      System.err.printf("round %d/%d%n", round + 1, rounds);
    }
    samples.forEach((path, nanos) -> results.put(path, Stats.of(nanos)));
    results.put("restore_stage", Stats.of(restoreStage));
  }

  /**
   * {@link #clones} invocations at once with a snapshot and no warm VM; how each was served goes into
   * {@code startKinds} (the node may serve a late one from a clone that has finished its first).
   */
  private List<Long> concurrentClones(int port, Map<String, Integer> startKinds) throws Exception {
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < clones; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try (KeepAliveConnection http = new KeepAliveConnection("127.0.0.1", port)) {
          long start = System.nanoTime();
          JsonNode reply = SampleFunctionNode.invoke(http, null);
          latencies.add(System.nanoTime() - start);
          return reply;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (var call : calls) {
      startKinds.merge(call.get().path("startKind").asText(), 1, Integer::sum);
    }
    return latencies;
  }

  /** The QEMU processes of restored clones and of QEMUs kept ready (RAM mapped private) under {@code runDir}. */
  private static Set<Long> qemuPids(Path runDir) {
    return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
      String cmdline = read(Path.of("/proc", Long.toString(pid), "cmdline"));
      return cmdline.contains(runDir.toString()) && cmdline.contains("share=off") && cmdline.contains("-name faascell-");
    }).collect(Collectors.toSet());
  }

  /** The user + system CPU ticks of each process. */
  private static Map<Long, Long> cpuTicks(Set<Long> pids) {
    Map<Long, Long> ticks = new HashMap<>();
    for (long pid : pids) {
      String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }
    return ticks;
  }

  /** Proportional set size in KiB of each process (the snapshot's shared pages counted once across them). */
  private static List<Long> pss(Set<Long> pids) {
    List<Long> pss = new ArrayList<>();
    for (long pid : pids) {
      for (String line : read(Path.of("/proc", Long.toString(pid), "smaps_rollup")).split("\n")) {
        if (line.startsWith("Pss:")) {
          pss.add(Long.parseLong(line.replaceAll("\\D", "")));
        }
      }
    }
    return pss;
  }

  private static List<Long> toMib(List<Long> kib) {
    return kib.stream().map(kb -> kb / 1024).sorted().toList();
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  private void report(Map<String, Object> results) {
    System.out.println("| path | n | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|");
    ROWS.forEach((key, label) -> System.out.println(((Stats) results.get(key)).row(label.replace("{n}", String.valueOf(clones)))));
    double restore = p50(results, "restore_http");
    System.out.printf(Locale.ROOT, "%nrestore / runc cold at p50: %.2fx (goal <= 2x, moonshot 1.5x)%n",
        restore / p50(results, "runc_cold"));
    System.out.printf(Locale.ROOT, "cold / restore at p50: %.1fx (goal >= 40x)%n", p50(results, "cold_http") / restore);
    System.out.printf(Locale.ROOT, "restore / raw restore like the node's at p50: %.2fx (goal <= 1.2x)%n",
        restore / p50(results, "raw_restore_like_node"));
    System.out.printf(Locale.ROOT, "restore / raw restore RUN only at p50: %.2fx%n",
        restore / p50(results, "raw_restore_run_only"));
    System.out.printf(Locale.ROOT, "%d restores at once p50 / one restore p50: %.2fx (goal <= 3x)%n", clones,
        p50(results, "concurrent_clones_http") / restore);
    System.out.println(clones + " at once were served as: " + results.get("concurrent_start_kinds"));
    System.out.println("PSS per restored clone (MiB): " + results.get("clone_pss_mib"));
    System.out.println("PSS per QEMU kept ready (MiB): " + results.get("prestarted_pss_mib"));
    System.out.println("machine: " + results.get("machine"));
  }

  private static double p50(Map<String, Object> results, String key) {
    return ((Stats) results.get(key)).p50Ms();
  }
}
