package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.MinuteSpread;
import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.azure.AzureTrace;
import dev.faascell.replay.azure.AzureTraceFiles;
import dev.faascell.replay.azure.AzureTraceReader;
import dev.faascell.replay.azure.AzureWorkload;
import dev.faascell.replay.azure.FunctionSelection;
import dev.faascell.replay.workload.WorkloadLimits;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code replay azure}: replays functions of an Azure Functions 2019 trace day, open loop. */
@Command(name = "azure",
    description = {"Replay functions of an Azure Functions 2019 trace day against a node, open loop.",
        "Each trace function becomes a synthetic function that runs for durations drawn from its duration "
            + "percentiles and touches memory drawn from its app's memory percentiles."})
public final class AzureReplayCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Mixin
  RunOptions run;

  @Option(names = "--trace", paramLabel = "DIR",
      description = "directory holding the day's three files under their public names (instead of the three options below)")
  Path traceDirectory;

  @Option(names = "--day", paramLabel = "N", defaultValue = "1", description = "the day of the files in --trace (default ${DEFAULT-VALUE})")
  int day;

  @Option(names = "--invocations", paramLabel = "FILE", description = "invocations_per_function_md.anon.dNN.csv")
  Path invocations;

  @Option(names = "--durations", paramLabel = "FILE", description = "function_durations_percentiles.anon.dNN.csv")
  Path durations;

  @Option(names = "--memory", paramLabel = "FILE", description = "app_memory_percentiles.anon.dNN.csv")
  Path memory;

  @ArgGroup(multiplicity = "1")
  Selection selection;

  /** Exactly one way to choose the functions. */
  static final class Selection {
    @Option(names = "--top", paramLabel = "N", description = "the N functions with the most invocations in the window")
    Integer top;

    @Option(names = "--sample", paramLabel = "N", description = "N functions invoked in the window, drawn with --seed")
    Integer sample;

    @Option(names = "--functions", paramLabel = "HASH", split = ",", description = "these HashFunction values")
    List<String> hashes;
  }

  @Option(names = "--start-minute", paramLabel = "M", defaultValue = "1",
      description = "first minute of the window, 1-1440 as the trace's columns (default ${DEFAULT-VALUE})")
  int startMinute;

  @Option(names = "--minutes", paramLabel = "K", description = "minutes in the window (default: to the file's last minute)")
  Integer minutes;

  @Option(names = "--speedup", paramLabel = "X", defaultValue = "1",
      description = "trace minutes per wall minute, e.g. 60 plays a trace minute per second (default ${DEFAULT-VALUE})")
  double speedUp;

  @Option(names = "--spread", paramLabel = "KIND", defaultValue = "exponential", converter = SpreadConverter.class,
      description = "how a minute's invocations spread over it: uniform, exponential or equidistant (default ${DEFAULT-VALUE})")
  MinuteSpread spread;

  @Option(names = "--max-memory-mb", paramLabel = "MB", defaultValue = "256",
      description = "cap on the memory an invocation touches (default ${DEFAULT-VALUE}, at most 448)")
  int maxMemoryMb;

  @Option(names = "--max-duration-ms", paramLabel = "MS", defaultValue = "60000",
      description = "cap on how long an invocation runs (default ${DEFAULT-VALUE})")
  long maxDurationMs;

  @Override
  public Integer call() throws InterruptedException {
    AzureTraceFiles files = files();
    FunctionSelection chosen = selection.top != null ? FunctionSelection.top(selection.top)
        : selection.sample != null ? FunctionSelection.sample(selection.sample, run.seed)
        : FunctionSelection.hashes(selection.hashes);
    AzureTrace trace = new AzureTraceReader().read(files, chosen, startMinute,
        minutes == null ? OptionalInt.empty() : OptionalInt.of(minutes));
    WorkloadLimits limits = new WorkloadLimits(maxMemoryMb, maxDurationMs);
    AzureWorkload workload = AzureWorkload.of(trace, limits, spread, new SpeedUp(speedUp), run.seed);

    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("invocations file", files.invocations().toString());
    parameters.put("durations file", files.durations().toString());
    parameters.put("memory file", files.memory().toString());
    parameters.put("selection", chosen.describe());
    parameters.put("window", "minutes " + trace.window().startMinute() + "-" + trace.window().endMinute());
    parameters.put("spread", spread.toString());
    parameters.put("trace invocations in window", Long.toString(trace.totalInvocations()));
    parameters.put("functions without durations or memory, invoked in window", Integer.toString(trace.unusableInvoked()));
    parameters.put("max memory MB", Integer.toString(maxMemoryMb));
    parameters.put("max duration ms", Long.toString(maxDurationMs));
    System.out.println("selected " + trace.functions().size() + " function(s), " + trace.totalInvocations()
        + " invocations in minutes " + trace.window().startMinute() + "-" + trace.window().endMinute());
    return ReplayRun.execute(run, "azure", speedUp, parameters, workload.deployed(),
        driver -> driver.runOpenLoop(workload.schedule()), System.out);
  }

  private AzureTraceFiles files() {
    boolean anyFile = invocations != null || durations != null || memory != null;
    if (traceDirectory != null && !anyFile) {
      return AzureTraceFiles.ofDay(traceDirectory, day);
    }
    if (traceDirectory == null && invocations != null && durations != null && memory != null) {
      return new AzureTraceFiles(invocations, durations, memory);
    }
    throw new ParameterException(spec.commandLine(), "give either --trace DIR [--day N] or all of --invocations, --durations and --memory");
  }
}
