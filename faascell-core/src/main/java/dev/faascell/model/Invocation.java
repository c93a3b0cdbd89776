package dev.faascell.model;

/**
 * One request to run a function, as it travels Source → Dispatcher → VmPool → Worker.
 * Times are {@link System#nanoTime()} stamps (0 = not yet); each actor returns a copy with its stamp.
 */
public record Invocation(
    String id,
    FunctionSpec function,
    byte[] payload,
    long receivedEpochMillis,
    long receivedNanos,
    long enqueuedNanos,
    long dequeuedNanos,
    long assignedNanos,
    long slotNanos) {

  public static Invocation received(String id, FunctionSpec function, byte[] payload, long receivedNanos) {
    return new Invocation(id, function, payload, System.currentTimeMillis(), receivedNanos, 0, 0, 0, 0);
  }

  /** Admitted into the Dispatcher's queue. */
  public Invocation enqueued(long nanos) {
    return new Invocation(id, function, payload, receivedEpochMillis, receivedNanos, nanos, dequeuedNanos, assignedNanos,
        slotNanos);
  }

  /** Taken off the queue and handed to the VmPool. */
  public Invocation dequeued(long nanos) {
    return new Invocation(id, function, payload, receivedEpochMillis, receivedNanos, enqueuedNanos, nanos, assignedNanos,
        slotNanos);
  }

  /** Given a VM (warm) or a VM start (restore, cold) by the VmPool. */
  public Invocation assigned(long nanos) {
    return new Invocation(id, function, payload, receivedEpochMillis, receivedNanos, enqueuedNanos, dequeuedNanos, nanos,
        slotNanos);
  }

  /** Its VM's start got one of the node's start slots (starts only: a warm invocation never waits for one). */
  public Invocation slotGranted(long nanos) {
    return new Invocation(id, function, payload, receivedEpochMillis, receivedNanos, enqueuedNanos, dequeuedNanos,
        assignedNanos, nanos);
  }

  public FunctionName functionName() {
    return function.name();
  }
}
