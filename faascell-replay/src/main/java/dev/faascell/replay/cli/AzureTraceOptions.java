package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.MinuteSpread;
import dev.faascell.replay.arrivals.SpeedUp;
import dev.faascell.replay.azure.AzureTrace;
import dev.faascell.replay.azure.AzureTraceFiles;
import dev.faascell.replay.azure.AzureTraceReader;
import dev.faascell.replay.azure.AzureWorkload;
import dev.faascell.replay.azure.FunctionSelection;
import dev.faascell.replay.workload.MemoryModel;
import dev.faascell.replay.workload.WorkloadLimits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of an Azure Functions 2019 trace day, shared by {@code replay azure} and {@code simulate
 * azure}: the files, which functions, the window, how a minute's invocations spread, the limits on
 * what an invocation asks, and the memory model.
 */
public final class AzureTraceOptions {
  @Option(names = "--trace", paramLabel = "DIR",
      description = "directory holding the day's three files under their public names (instead of the three options below)")
  Path traceDirectory;

  @Option(names = "--day", paramLabel = "N", defaultValue = "1", description = "the day of the files in --trace (default ${DEFAULT-VALUE})")
  int day;

  @Option(names = "--invocations", paramLabel = "FILE", description = "invocations_per_function_md.anon.dNN.csv")
  Path invocations;

  @Option(names = "--durations", paramLabel = "FILE", description = "function_durations_percentiles.anon.dNN.csv")
  Path durations;

  @Option(names = "--memory", paramLabel = "FILE",
      description = "app_memory_percentiles.anon.dNN.csv (per application), or the same figures per function "
          + "(HashFunction after HashApp)")
  Path memory;

  @ArgGroup(multiplicity = "1")
  AzureReplayCommand.Selection selection;

  @Option(names = "--start-minute", paramLabel = "M", defaultValue = "1",
      description = "first minute of the window, 1-1440 as the trace's columns (default ${DEFAULT-VALUE})")
  int startMinute;

  @Option(names = "--minutes", paramLabel = "K", description = "minutes in the window (default: to the file's last minute)")
  Integer minutes;

  @Option(names = "--spread", paramLabel = "KIND", defaultValue = "exponential", converter = SpreadConverter.class,
      description = "how a minute's invocations spread over it: uniform, exponential or equidistant (default ${DEFAULT-VALUE})")
  MinuteSpread spread;

  @Option(names = "--max-memory-mb", paramLabel = "MB", defaultValue = "256",
      description = "cap on the memory a function allocates (default ${DEFAULT-VALUE}, at most 448)")
  int maxMemoryMb;

  @Option(names = "--max-duration-ms", paramLabel = "MS", defaultValue = "60000",
      description = "cap on how long an invocation runs (default ${DEFAULT-VALUE})")
  long maxDurationMs;

  @Option(names = "--memory-model", paramLabel = "MODEL", defaultValue = "resident", converter = MemoryModelConverter.class,
      description = "resident: a function allocates its app's median memory when loaded and keeps it; per-invocation: "
          + "every invocation allocates memory drawn from its app's percentiles (default ${DEFAULT-VALUE})")
  MemoryModel memoryModel;

  /** The trace read and turned into a workload; {@code parameters} gets its description. */
  public AzureWorkload workload(CommandSpec spec, long seed, SpeedUp speedUp, Map<String, String> parameters,
                                PrintStream out) {
    AzureTraceFiles files = files(spec);
    FunctionSelection chosen = selection.all ? FunctionSelection.all()
        : selection.top != null ? FunctionSelection.top(selection.top)
        : selection.sample != null ? FunctionSelection.sample(selection.sample, seed)
        : FunctionSelection.hashes(selection.hashes);
    AzureTrace trace = new AzureTraceReader().read(files, chosen, startMinute,
        minutes == null ? OptionalInt.empty() : OptionalInt.of(minutes));
    WorkloadLimits limits = new WorkloadLimits(maxMemoryMb, maxDurationMs);
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
    parameters.put("memory model", memoryModel.toString());
    out.println("selected " + trace.functions().size() + " function(s), " + trace.totalInvocations()
        + " invocations in minutes " + trace.window().startMinute() + "-" + trace.window().endMinute());
    return AzureWorkload.of(trace, limits, spread, speedUp, seed, memoryModel);
  }

  private AzureTraceFiles files(CommandSpec spec) {
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
