package dev.faascell.replay.workload;

/**
 * What one invocation of the synthetic function is asked to do: touch {@code memoryMb} MiB, then return
 * once {@code durationMs} have passed since it started. This is its JSON payload.
 */
public record WorkRequest(long durationMs, int memoryMb) {
  public WorkRequest {
    if (durationMs < 0 || memoryMb < 0) {
      throw new IllegalArgumentException("durationMs and memoryMb must not be negative: " + durationMs + ", " + memoryMb);
    }
  }

  public String toJson() {
    return "{\"durationMs\":" + durationMs + ",\"memoryMb\":" + memoryMb + "}";
  }
}
