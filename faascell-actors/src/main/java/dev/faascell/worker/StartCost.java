package dev.faascell.worker;

import dev.faascell.model.StartKind;
import dev.faascell.snapshot.SnapshotRecord;

/**
 * What this VM's start cost so far, stage by stage (a stage not reached is 0); the records of the
 * invocation that waited for the start carry it.
 *
 * @param startedAt    when the start got its slot (the Worker's creation)
 * @param restoredFrom the snapshot of a restore, else null
 */
record StartCost(StartKind kind, long startedAt, long bootNanos, long restoreNanos, long initNanos,
                 long snapshotNanos, SnapshotRecord restoredFrom) {
  static StartCost cold(long now) {
    return new StartCost(StartKind.COLD, now, 0, 0, 0, 0, null);
  }

  static StartCost restore(SnapshotRecord snapshot, long now) {
    return new StartCost(StartKind.RESTORE, now, 0, 0, 0, 0, snapshot);
  }

  StartCost booted(long now) {
    return new StartCost(kind, startedAt, now - startedAt, restoreNanos, initNanos, snapshotNanos, restoredFrom);
  }

  StartCost initialised(long nanos) {
    return new StartCost(kind, startedAt, bootNanos, restoreNanos, nanos, snapshotNanos, restoredFrom);
  }

  StartCost snapshotted(long nanos) {
    return new StartCost(kind, startedAt, bootNanos, restoreNanos, initNanos, nanos, restoredFrom);
  }

  StartCost restored(long now) {
    return new StartCost(kind, startedAt, bootNanos, now - startedAt, initNanos, snapshotNanos, restoredFrom);
  }
}
