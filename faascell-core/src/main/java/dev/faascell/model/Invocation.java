package dev.faascell.model;

/**
 * One request to run a function, as it travels Source → Dispatcher → VmPool → Worker.
 * Times are {@link System#nanoTime()} stamps; each actor returns a copy with its stamp added.
 */
public record Invocation(
    String id,
    FunctionSpec function,
    byte[] payload,
    long receivedNanos,
    long dequeuedNanos) {

  public static Invocation received(String id, FunctionSpec function, byte[] payload, long receivedNanos) {
    return new Invocation(id, function, payload, receivedNanos, 0);
  }

  public Invocation dequeued(long nanos) {
    return new Invocation(id, function, payload, receivedNanos, nanos);
  }

  public FunctionName functionName() {
    return function.name();
  }
}
