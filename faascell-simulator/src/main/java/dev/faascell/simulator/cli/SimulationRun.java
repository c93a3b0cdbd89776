package dev.faascell.simulator.cli;

import dev.faascell.replay.report.ResultsDirectory;
import dev.faascell.replay.report.RunDescription;
import dev.faascell.replay.report.RunDescription.DeployedFunction;
import dev.faascell.replay.report.Summary;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.simulator.SimulationProgress;
import dev.faascell.simulator.SimulationRecords;
import dev.faascell.simulator.SimulationSettings;
import dev.faascell.simulator.SimulationTotals;
import dev.faascell.simulator.Simulator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What every simulate command does once it knows its functions and load: simulate, write, tell. */
final class SimulationRun {
  /** Drives the simulator with the command's load. */
  interface Load {
    SimulationTotals run(Simulator simulator, SimulationProgress progress);
  }

  private SimulationRun() {
  }

  static int execute(SimulationOptions options, String source, Map<String, String> parameters,
                     List<SyntheticFunction> functions, Duration planned, Load load, PrintStream out) {
    NodeLogs.quiet();
    SimulationSettings settings = SimulationSettings.of(options.config(), options.calibration(), options.seed,
        statusInterval(planned));
    parameters.put("simulated", "yes: calibration " + options.calibrationSource());
    parameters.put("keep-alive", settings.policies().keepAlive().name());
    parameters.put("scaling", settings.policies().scaling().name());
    parameters.put("vm-selection", settings.policies().selection().name());
    parameters.put("snapshots", settings.policies().snapshots().name());
    parameters.put("queue", settings.queue().name());
    parameters.put("node memory MB", Long.toString(settings.capacity().memoryMb()));
    parameters.put("start slots", Integer.toString(settings.capacity().startSlots()));
    SimulationRecords records = new SimulationRecords();
    SimulationProgress progress = options.noProgress ? SimulationProgress.NONE
        : new SimulationProgressBar(System.err, planned.toNanos());
    SimulationTotals totals = load.run(new Simulator(settings, functions, records), progress);
    RunDescription description = new RunDescription("simulate " + source, "simulated", options.seed, null, 0, parameters,
        functions.stream().map(f -> new DeployedFunction(f.name(), f.origin(), f.memoryMb(), f.timeoutMs())).toList());
    Summary summary = ResultsDirectory.write(options.out, description, records.result(totals)).summary();
    Summary.LatencyStats latency = summary.latencyMs().get(Summary.ALL);
    out.println(String.format(Locale.ROOT, "simulated %d invocations (%.1f virtual hours) in %.2f s (%.2f s of CPU, "
            + "%.0f invocations per CPU-second): cold %d, restore %d, warm %d, failed %d; idle VMs held %.0f GB-s%s",
        totals.invocations(), totals.virtualNanos() / 3.6e12, totals.wallNanos() / 1e9, totals.cpuNanos() / 1e9,
        totals.invocationsPerCpuSecond(), totals.cold(),
        totals.restore(), totals.warm(), totals.failed(), totals.idleGbSeconds(), latency.count() == 0 ? ""
            : String.format(Locale.ROOT, "; latency p50 %.1f ms, p99 %.1f ms", latency.p50(), latency.p99())));
    out.println("results in " + options.out + " (open " + options.out.resolve(ResultsDirectory.REPORT_FILE) + ")");
    return 0;
  }

  /** About 2,000 samples of the node's state over the run, at least one a second. */
  private static Duration statusInterval(Duration planned) {
    return Duration.ofMillis(Math.max(1000, planned.toMillis() / 2000));
  }
}
