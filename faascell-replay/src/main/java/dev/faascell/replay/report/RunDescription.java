package dev.faascell.replay.report;

import java.util.List;
import java.util.Map;

/**
 * How a run was made, as its summary records it, so that two runs can be told apart and repeated.
 *
 * @param source azure, poisson or closed
 * @param seed the seed of every random choice, null if the source has none
 * @param speedUp trace minutes per wall minute, null if the source is not a trace
 * @param parameters everything else the source was given (files, window, spread, rates, clients, ...)
 */
public record RunDescription(String source, String url, Long seed, Double speedUp, double lateThresholdMs,
                             Map<String, String> parameters, List<DeployedFunction> functions) {
  public RunDescription {
    parameters = Map.copyOf(parameters);
    functions = List.copyOf(functions);
  }

  /** A function the run deployed, and what it stands for (a trace function's hashes). */
  public record DeployedFunction(String name, String origin, int memoryMb, long timeoutMs) {}
}
