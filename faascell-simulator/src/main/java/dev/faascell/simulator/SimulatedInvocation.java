package dev.faascell.simulator;

import dev.faascell.model.StartKind;

/**
 * One simulated invocation's end. Times are virtual nanoseconds from the simulation's start.
 *
 * @param outcome   "ok", or the API's error kind (queue-full, queue-timeout, no-capacity)
 * @param startKind how its VM was acquired; null if it got none
 * @param startNanos the VM start it waited for (boot + init [+ snapshot], or restore); 0 when warm
 */
public record SimulatedInvocation(long index, String function, long arrivalNanos, long endNanos, String outcome,
                                  StartKind startKind, String vmId, long queueNanos, long slotWaitNanos,
                                  long bootNanos, long initNanos, long restoreNanos, long runNanos,
                                  long requestedDurationMs, int requestedMemoryMb) {
  public boolean succeeded() {
    return "ok".equals(outcome);
  }

  public long latencyNanos() {
    return endNanos - arrivalNanos;
  }
}
