package dev.faascell.replay.workload;

import java.util.regex.Pattern;

/**
 * A function the replay deploys on the node: the synthetic workload under a name, with the memory and
 * timeout its heaviest invocation needs.
 *
 * @param origin what it stands for, e.g. the trace function's hashes, for the report
 * @param residentMb memory the function allocates when it is loaded and keeps (the resident memory
 *     model; 0 when its invocations allocate their own)
 */
public record SyntheticFunction(String name, int memoryMb, long timeoutMs, String origin, int residentMb) {
  /** The API's rule for function names. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");
  /** Headroom for the guest kernel and the Python runtime beside the memory an invocation touches. */
  static final int RUNTIME_HEADROOM_MB = 64;
  static final int MIN_MEMORY_MB = 128;
  static final int MAX_MEMORY_MB = 512;
  private static final int MEMORY_STEP_MB = 64;

  public SyntheticFunction {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("function name '" + name + "' does not match " + NAME.pattern());
    }
  }

  /**
   * A function whose invocations touch at most {@code maxTouchMb} and run at most {@code maxDurationMs}:
   * memory max(128, touched + 64) rounded up to a multiple of 64 and at most 512; a timeout of three
   * times the longest duration plus 5 s, so that only a function that is really stuck times out.
   */
  public static SyntheticFunction sizedFor(String name, int maxTouchMb, long maxDurationMs, String origin) {
    return new SyntheticFunction(name, memoryFor(maxTouchMb), timeoutFor(maxDurationMs), origin, 0);
  }

  /**
   * The function of the {@code model}: per invocation, as {@link #sizedFor}; resident, one that
   * allocates {@code memoryMb} when it is loaded, sized the same way.
   */
  public static SyntheticFunction of(MemoryModel model, String name, int memoryMb, long maxDurationMs, String origin) {
    return model == MemoryModel.RESIDENT
        ? new SyntheticFunction(name, memoryFor(memoryMb), timeoutFor(maxDurationMs), origin, memoryMb)
        : sizedFor(name, memoryMb, maxDurationMs, origin);
  }

  private static int memoryFor(int touchedMb) {
    int wanted = Math.max(MIN_MEMORY_MB, touchedMb + RUNTIME_HEADROOM_MB);
    int rounded = (wanted + MEMORY_STEP_MB - 1) / MEMORY_STEP_MB * MEMORY_STEP_MB;
    return Math.min(MAX_MEMORY_MB, rounded);
  }

  private static long timeoutFor(long maxDurationMs) {
    return 3 * maxDurationMs + 5_000;
  }

  /** The body of {@code PUT /v1/functions/{name}} that deploys it. */
  public String deployJson() {
    return "{\"runtime\":\"python\",\"handler\":\"main.handle\",\"code\":{\"file\":\"main.py\",\"text\":"
        + Json.quote(WorkloadCode.python()) + "},\"memoryMb\":" + memoryMb + ",\"vcpus\":1,\"timeoutMs\":" + timeoutMs
        + ",\"env\":{\"RESIDENT_MB\":\"" + residentMb + "\"}}";
  }
}
