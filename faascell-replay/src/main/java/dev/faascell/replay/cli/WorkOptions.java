package dev.faascell.replay.cli;

import dev.faascell.replay.workload.MemoryModel;
import dev.faascell.replay.workload.SyntheticFunction;
import dev.faascell.replay.workload.WorkRequest;
import java.util.Map;
import picocli.CommandLine.Option;

/** What each invocation of a synthetic (non-trace) load asks the function to do. */
public final class WorkOptions {
  @Option(names = "--exec-ms", paramLabel = "MS", defaultValue = "100",
      description = "how long each invocation runs (default ${DEFAULT-VALUE})")
  long execMs;

  @Option(names = "--touch-mb", paramLabel = "MB", defaultValue = "16",
      description = "memory the function holds (resident) or each invocation touches (per-invocation) (default ${DEFAULT-VALUE})")
  int touchMb;

  @Option(names = "--memory-model", paramLabel = "MODEL", defaultValue = "resident", converter = MemoryModelConverter.class,
      description = "resident: the function allocates --touch-mb when loaded and keeps it; per-invocation: every "
          + "invocation allocates it (default ${DEFAULT-VALUE})")
  MemoryModel memoryModel;

  public WorkRequest work() {
    return new WorkRequest(execMs, memoryModel == MemoryModel.RESIDENT ? 0 : touchMb);
  }

  public SyntheticFunction function(String name) {
    return SyntheticFunction.of(memoryModel, name, touchMb, execMs, "synthetic");
  }

  public void describeInto(Map<String, String> parameters) {
    parameters.put("exec ms", Long.toString(execMs));
    parameters.put("touch MB", Integer.toString(touchMb));
    parameters.put("memory model", memoryModel.toString());
  }
}
