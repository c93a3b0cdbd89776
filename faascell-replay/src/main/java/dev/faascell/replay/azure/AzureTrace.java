package dev.faascell.replay.azure;

import java.util.List;

/**
 * The part of an Azure trace that is replayed: the chosen functions' counts within the window.
 *
 * @param unusableInvoked functions invoked in the window that could not be candidates because the
 *     trace has no durations for them or no memory for their app (the public data set has many)
 */
public record AzureTrace(TraceWindow window, List<TraceFunction> functions, int unusableInvoked) {
  public AzureTrace {
    functions = List.copyOf(functions);
  }

  public long totalInvocations() {
    return functions.stream().mapToLong(TraceFunction::totalInvocations).sum();
  }
}
