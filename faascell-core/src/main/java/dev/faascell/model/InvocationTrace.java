package dev.faascell.model;

/**
 * Everything recorded about one invocation: the monotonic stamps of its stages (nanoTime, 0 = the
 * stage did not happen), how its VM was acquired, sizes, and the host's measurements. Consecutive
 * stamps make the stages: queue (received → dequeued), place (→ assigned), slot wait (→ the VM's start
 * got a start slot; starts only), acquire (→ VM ready: boot or restore, init, snapshot), dispatch (→ RUN
 * sent), run (→ result back), deliver (→ delivered). They sum to the total by construction.
 *
 * @param receivedEpochMillis wall clock at receipt, to place the record in time
 * @param snapshotTier        the tier the restore read from, or null
 */
public record InvocationTrace(
    long receivedEpochMillis,
    long received,
    long enqueued,
    long dequeued,
    long assigned,
    long slotGranted,
    long vmReady,
    long runSent,
    long resultReceived,
    long delivered,
    long bootNanos,
    long restoreNanos,
    long initNanos,
    long snapshotNanos,
    long guestExecNanos,
    String snapshotId,
    String snapshotTier,
    int payloadBytes,
    int outputBytes,
    HostUsage host) {

  /** A trace of an invocation that ended before it reached a VM. */
  public static InvocationTrace early(Invocation invocation) {
    return new InvocationTrace(invocation.receivedEpochMillis(), invocation.receivedNanos(), invocation.enqueuedNanos(),
        invocation.dequeuedNanos(), invocation.assignedNanos(), invocation.slotNanos(), 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null,
        invocation.payload().length, 0, HostUsage.NONE);
  }

  public InvocationTrace delivered(long nanos) {
    return new InvocationTrace(receivedEpochMillis, received, enqueued, dequeued, assigned, slotGranted, vmReady, runSent,
        resultReceived, nanos, bootNanos, restoreNanos, initNanos, snapshotNanos, guestExecNanos, snapshotId,
        snapshotTier, payloadBytes, outputBytes, host);
  }

  /** The stamps in stage order, with a stage that did not happen taking its predecessor's stamp. */
  public long[] stamps() {
    long[] stamps = {received, dequeued, assigned, slotGranted, vmReady, runSent, resultReceived, delivered};
    for (int i = 1; i < stamps.length; i++) {
      if (stamps[i] == 0) {
        stamps[i] = stamps[i - 1];
      }
    }
    return stamps;
  }

  public static final String[] STAGES = {"queue", "place", "slotWait", "acquire", "dispatch", "run", "deliver"};
}
