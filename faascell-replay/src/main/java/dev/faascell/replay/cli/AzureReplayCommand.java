package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.azure.AzureWorkload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code replay azure}: replays functions of an Azure Functions 2019 trace day, open loop. */
@Command(name = "azure",
    description = {"Replay functions of an Azure Functions 2019 trace day against a node, open loop.",
        "Each trace function becomes a synthetic function that runs for durations drawn from its duration "
            + "percentiles and holds its app's memory (--memory-model)."})
public final class AzureReplayCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Mixin
  RunOptions run;

  @Mixin
  AzureTraceOptions trace;

  /** Exactly one way to choose the functions. */
  public static final class Selection {
    @Option(names = "--all", description = "every function invoked in the window that has durations and memory")
    boolean all;

    @Option(names = "--top", paramLabel = "N", description = "the N functions with the most invocations in the window")
    Integer top;

    @Option(names = "--sample", paramLabel = "N", description = "N functions invoked in the window, drawn with --seed")
    Integer sample;

    @Option(names = "--functions", paramLabel = "HASH", split = ",", description = "these HashFunction values")
    List<String> hashes;
  }

  @Option(names = "--speedup", paramLabel = "X", defaultValue = "1",
      description = "trace minutes per wall minute, e.g. 60 plays a trace minute per second (default ${DEFAULT-VALUE})")
  double speedUp;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> parameters = new LinkedHashMap<>();
    AzureWorkload workload = trace.workload(spec, run.seed, new SpeedUp(speedUp), parameters, System.out);
    return ReplayRun.execute(run, "azure", speedUp, parameters, workload.deployed(),
        driver -> driver.runOpenLoop(workload.schedule()), System.out);
  }
}
