package dev.faascell.replay.azure;

import java.util.List;

/**
 * One function of the trace within the replayed window: its per-minute invocation counts, the
 * distribution of its durations (ms, without cold start) and of its app's allocated memory (MB).
 */
public record TraceFunction(FunctionKey key, String trigger, List<Integer> countsPerMinute,
                            PercentileDistribution durationMs, PercentileDistribution memoryMb) {
  public TraceFunction {
    countsPerMinute = List.copyOf(countsPerMinute);
  }

  public long totalInvocations() {
    return countsPerMinute.stream().mapToLong(Integer::longValue).sum();
  }
}
