package dev.faascell.model;

/** The end of an invocation: exactly one per invocation, delivered by the Sink. */
public sealed interface InvocationResult {
  String invocationId();

  FunctionName function();

  Timing timing();

  InvocationTrace trace();

  /** This result as the Sink delivers it at {@code nowNanos}: total time and trace completed. */
  InvocationResult delivered(long nowNanos);

  /** The function returned; {@code output} is its result (JSON for python, stdout for exec). */
  record Completed(
      String invocationId,
      FunctionName function,
      byte[] output,
      String stderrTail,
      StartKind startKind,
      String vmId,
      Timing timing,
      InvocationTrace trace) implements InvocationResult {
    public Completed delivered(long nowNanos) {
      return new Completed(invocationId, function, output, stderrTail, startKind, vmId,
          timing.withTotalNanos(nowNanos - trace.received()), trace.delivered(nowNanos));
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
      Timing timing,
      InvocationTrace trace) implements InvocationResult {
    public Failed delivered(long nowNanos) {
      return new Failed(invocationId, function, kind, message, stderrTail, startKind, vmId,
          timing.withTotalNanos(nowNanos - trace.received()), trace.delivered(nowNanos));
    }

    /** A failure before any VM was involved (queue full, queue timeout, function deleted). */
    public static Failed early(Invocation invocation, FailureKind kind, String message, long nowNanos) {
      long queued = invocation.dequeuedNanos() > 0 ? invocation.dequeuedNanos() : nowNanos;
      return new Failed(invocation.id(), invocation.functionName(), kind, message, "", null, null,
          new Timing(queued - invocation.receivedNanos(), 0, 0, 0, 0, 0, 0, 0),
          InvocationTrace.early(invocation));
    }
  }
}
