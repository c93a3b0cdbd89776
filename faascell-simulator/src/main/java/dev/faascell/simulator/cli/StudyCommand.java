package dev.faascell.simulator.cli;

import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.azure.AzureWorkload;
import dev.faascell.replay.cli.AzureTraceOptions;
import dev.faascell.replay.cli.HelpOption;
import dev.faascell.replay.csv.CsvWriter;
import dev.faascell.replay.report.PolicyStudyReport;
import dev.faascell.simulator.study.PolicyStudy;
import dev.faascell.simulator.study.StudyRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate study}: the five keep-alive policies, in the settings {@link StudyRun#defaults} sweeps,
 * over the same trace: cold-start rate against idle VMs' memory, one point each, in a report.
 */
@Command(name = "study", description = {"Simulate the five keep-alive policies in several settings over one Azure-format "
    + "trace and plot their cold-start rate against the memory their idle VMs held (study.csv, report.html)."})
public final class StudyCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Mixin
  SimulationOptions simulation;

  @Mixin
  AzureTraceOptions trace;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
      description = "runs simulated at once, one core each (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--small-memory-mb", paramLabel = "MB", defaultValue = "65536",
      description = "the smaller node lru and greedy-dual also run on (they keep VMs while there is room; "
          + "default ${DEFAULT-VALUE})")
  long smallMemoryMb;

  @Override
  public Integer call() throws InterruptedException {
    NodeLogs.quiet();
    Map<String, String> parameters = new LinkedHashMap<>();
    AzureWorkload workload = trace.workload(spec, simulation.seed, SpeedUp.REAL_TIME, parameters, System.out);
    parameters.put("calibration", simulation.calibrationSource());
    parameters.put("node memory MB (unless the setting says)", Long.toString(simulation.memoryMb));
    parameters.put("start slots", Integer.toString(simulation.startSlots));
    parameters.put("seed", Long.toString(simulation.seed));
    PolicyStudy study = new PolicyStudy(simulation.userConfig(), simulation.calibration(), simulation.seed,
        workload.deployed(), workload::arrivals, Duration.ofMinutes(workload.minutes()));
    List<StudyRun> runs = StudyRun.defaults(smallMemoryMb);
    System.out.println("simulating " + runs.size() + " runs, " + threads + " at a time");
    long started = System.nanoTime();
    List<PolicyStudyReport.Point> points = study.run(runs, threads, point -> {
      if (!simulation.noProgress) {
        System.err.printf(Locale.ROOT, "  %-26s %d invocations, new VMs %.3f%%, idle %.0f GB-s, %.1f CPU-s%n",
            point.label(), point.invocations(), point.coldOrRestoreRate() * 100, point.idleGbSeconds(),
            point.cpuSeconds());
      }
    });
    write(points, parameters);
    System.out.printf(Locale.ROOT, "study done in %.1f s; results in %s (open %s)%n", (System.nanoTime() - started) / 1e9,
        simulation.out, simulation.out.resolve("report.html"));
    return 0;
  }

  private void write(List<PolicyStudyReport.Point> points, Map<String, String> parameters) {
    try {
      Files.createDirectories(simulation.out);
      try (CsvWriter csv = CsvWriter.create(simulation.out.resolve("study.csv"))) {
        csv.row(List.of("policy", "setting", "invocations", "cold", "restore", "warm", "failed", "new_vm_rate",
            "cold_rate", "idle_gb_seconds", "p50_ms", "p99_ms", "cpu_seconds"));
        for (PolicyStudyReport.Point p : points) {
          csv.row(List.of(p.policy(), p.setting(), Long.toString(p.invocations()), Long.toString(p.cold()),
              Long.toString(p.restore()), Long.toString(p.warm()), Long.toString(p.failed()),
              number(p.coldOrRestoreRate()), number(p.coldRate()), number(p.idleGbSeconds()), number(p.p50Ms()),
              number(p.p99Ms()), number(p.cpuSeconds())));
        }
      }
      Files.writeString(simulation.out.resolve("report.html"),
          PolicyStudyReport.render("FaaSCell keep-alive policy study (simulated)", points, parameters),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the study to " + simulation.out + ": " + e.getMessage(), e);
    }
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.6g", value);
  }
}
