package dev.faascell.replay.cli;

import dev.faascell.replay.driver.InvocationRecord;
import dev.faascell.replay.driver.ProgressBar;
import dev.faascell.replay.driver.ProgressListener;
import dev.faascell.replay.driver.ReplayDriver;
import dev.faascell.replay.driver.RunResult;
import dev.faascell.replay.report.ResultsDirectory;
import dev.faascell.replay.report.RunDescription;
import dev.faascell.replay.report.RunDescription.DeployedFunction;
import dev.faascell.replay.report.Summary;
import dev.faascell.replay.workload.SyntheticFunction;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What every replay command does once it knows its functions and load: deploy, run, write, tell. */
final class ReplayRun {
  /** Sends the load through the driver. */
  interface Load {
    RunResult run(ReplayDriver driver) throws InterruptedException;
  }

  private ReplayRun() {
  }

  static int execute(RunOptions options, String source, Double speedUp, Map<String, String> parameters,
                     List<SyntheticFunction> functions, Load load, PrintStream out) throws InterruptedException {
    ProgressListener progress = options.noProgress ? ProgressListener.NONE : ProgressBar.onStandardError();
    ReplayDriver driver = new ReplayDriver(options.driverSettings(), progress);
    out.println("deploying " + functions.size() + " function(s) on " + options.url);
    driver.deploy(functions);
    RunResult result = load.run(driver);
    RunDescription description = new RunDescription(source, options.url, options.seed, speedUp,
        options.lateThreshold.toNanos() / 1e6, parameters,
        functions.stream().map(f -> new DeployedFunction(f.name(), f.origin(), f.memoryMb(), f.timeoutMs())).toList());
    Summary summary = ResultsDirectory.write(options.out, description, result).summary();
    out.println(describe(summary, result));
    out.println("results in " + options.out + " (open " + options.out.resolve(ResultsDirectory.REPORT_FILE) + ")");
    return 0;
  }

  private static String describe(Summary summary, RunResult result) {
    String failures = summary.byOutcome().entrySet().stream().filter(e -> !e.getKey().equals(InvocationRecord.OK))
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    String starts = Summary.START_KINDS.stream().map(kind -> kind + " " + summary.byStartKind().get(kind))
        .collect(Collectors.joining(", "));
    Summary.LatencyStats latency = summary.latencyMs().get(Summary.ALL);
    return String.format(Locale.ROOT, "replayed %d invocations in %.1f s: %d failed%s, %d late; starts: %s%s",
        summary.invocations(), result.elapsedMs() / 1000, summary.failed(), failures.isEmpty() ? "" : " (" + failures + ")",
        summary.late(), starts, latency.count() == 0 ? ""
            : String.format(Locale.ROOT, "; latency p50 %.1f ms, p99 %.1f ms", latency.p50(), latency.p99()));
  }
}
