package dev.faascell.replay.cli;

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
      description = "memory each invocation touches (default ${DEFAULT-VALUE})")
  int touchMb;

  WorkRequest work() {
    return new WorkRequest(execMs, touchMb);
  }

  SyntheticFunction function(String name) {
    return SyntheticFunction.sizedFor(name, touchMb, execMs, "synthetic");
  }

  void describeInto(Map<String, String> parameters) {
    parameters.put("exec ms", Long.toString(execMs));
    parameters.put("touch MB", Integer.toString(touchMb));
  }
}
