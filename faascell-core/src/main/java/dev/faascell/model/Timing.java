package dev.faascell.model;

/**
 * Where an invocation's time went, in nanoseconds (0 = the stage did not happen).
 *
 * <ul>
 *   <li>queue: received by the Source → taken off the Dispatcher's queue</li>
 *   <li>acquire: taken off the queue → a VM of the function ready to run it (includes boot and init)</li>
 *   <li>boot: VMM process started → guest agent READY (cold starts only)</li>
 *   <li>restore: VMM process started → restored guest answering (restores only)</li>
 *   <li>init: INIT sent → function loaded (cold starts only)</li>
 *   <li>run: RUN sent → RESULT received, on the host</li>
 *   <li>exec: the function's own execution time, measured inside the guest</li>
 *   <li>total: received → result handed to the Sink</li>
 * </ul>
 * queue + acquire + run ≤ total; the remainder is FaaSCell's own hops.
 */
public record Timing(
    long queueNanos,
    long acquireNanos,
    long bootNanos,
    long restoreNanos,
    long initNanos,
    long runNanos,
    long execNanos,
    long totalNanos) {

  public static final Timing NONE = new Timing(0, 0, 0, 0, 0, 0, 0, 0);

  public Timing withTotalNanos(long total) {
    return new Timing(queueNanos, acquireNanos, bootNanos, restoreNanos, initNanos, runNanos, execNanos, total);
  }
}
