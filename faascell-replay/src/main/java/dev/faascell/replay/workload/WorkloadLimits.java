package dev.faascell.replay.workload;

/**
 * Bounds on what a trace asks of the synthetic function, so that every invocation fits its VM and its
 * timeout: the memory an invocation touches and how long it runs.
 */
public record WorkloadLimits(int maxMemoryMb, long maxDurationMs) {
  /** Touching more than this would not fit the largest VM the replay deploys (512 MiB) beside the runtime. */
  private static final int LARGEST_MEMORY_MB = SyntheticFunction.MAX_MEMORY_MB - SyntheticFunction.RUNTIME_HEADROOM_MB;

  public static final WorkloadLimits DEFAULT = new WorkloadLimits(256, 60_000);

  public WorkloadLimits {
    if (maxMemoryMb < 0 || maxMemoryMb > LARGEST_MEMORY_MB) {
      throw new IllegalArgumentException("the memory cap must be between 0 and " + LARGEST_MEMORY_MB + " MiB, got " + maxMemoryMb);
    }
    if (maxDurationMs < 0 || maxDurationMs > 290_000) {
      // three times the longest duration plus 5 s must stay within the node's 15 min function timeout
      throw new IllegalArgumentException("the duration cap must be between 0 and 290000 ms, got " + maxDurationMs);
    }
  }
}
