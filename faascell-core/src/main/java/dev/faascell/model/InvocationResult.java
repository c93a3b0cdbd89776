package dev.faascell.model;

/** The end of an invocation: exactly one per invocation, delivered by the Sink. */
public sealed interface InvocationResult {
  String invocationId();

  FunctionName function();

  Timing timing();

  /** This result with the total time filled in (the Sink does this as it delivers). */
  InvocationResult withTotalNanos(long totalNanos);

  /** The function returned; {@code output} is its result (JSON for python, stdout for exec). */
  record Completed(
      String invocationId,
      FunctionName function,
      byte[] output,
      String stderrTail,
      StartKind startKind,
      String vmId,
      Timing timing) implements InvocationResult {
    public Completed withTotalNanos(long totalNanos) {
      return new Completed(invocationId, function, output, stderrTail, startKind, vmId, timing.withTotalNanos(totalNanos));
    }
  }

  /** No result; {@code startKind} and {@code vmId} are null when no VM was involved. */
  record Failed(
      String invocationId,
      FunctionName function,
      FailureKind kind,
      String message,
      String stderrTail,
      StartKind startKind,
      String vmId,
      Timing timing) implements InvocationResult {
    public Failed withTotalNanos(long totalNanos) {
      return new Failed(invocationId, function, kind, message, stderrTail, startKind, vmId, timing.withTotalNanos(totalNanos));
    }

    /** A failure before any VM was involved (queue full, queue timeout, function deleted). */
    public static Failed early(Invocation invocation, FailureKind kind, String message, long queueNanos) {
      return new Failed(invocation.id(), invocation.functionName(), kind, message, "", null, null,
          new Timing(queueNanos, 0, 0, 0, 0, 0, 0, 0));
    }
  }
}
