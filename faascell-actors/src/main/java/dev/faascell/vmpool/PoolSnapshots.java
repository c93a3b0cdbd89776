package dev.faascell.vmpool;

import dev.faascell.model.FunctionSpec;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.snapshot.SnapshotRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * The snapshot that serves each function version, as the SnapshotManager last published it: which a
 * start restores, the QEMU processes kept waiting for each (so that a restore skips QEMU's start-up),
 * and the pool's verdict on one that keeps failing.
 */
final class PoolSnapshots {
  private final VmControl control;
  private final VmSelectionPolicy selection;
  private final int prestartedPerSnapshot;
  private Map<String, SnapshotRecord> byFunction = Map.of();

  PoolSnapshots(VmControl control, VmSelectionPolicy selection, int prestartedPerSnapshot) {
    this.control = control;
    this.selection = selection;
    this.prestartedPerSnapshot = prestartedPerSnapshot;
  }

  /** The function's snapshot, if it has one and the selection policy restores it; else null. */
  SnapshotRecord restorable(FunctionSpec function) {
    SnapshotRecord snapshot = byFunction.get(VmPool.keyOf(function));
    return snapshot != null && selection.restore(function.name()) ? snapshot : null;
  }

  /** Whether {@code snapshot} still serves {@code key}: a newer one may have replaced it meanwhile. */
  boolean current(String key, SnapshotRecord snapshot) {
    return snapshot.equals(byFunction.get(key));
  }

  /** New snapshots get VMMs waiting for them; snapshots that are gone or moved let theirs go. */
  void published(Map<String, SnapshotRecord> current) {
    Map<String, SnapshotRecord> previous = byFunction;
    byFunction = current;
    if (prestartedPerSnapshot > 0) {
      previous.values().stream().filter(old -> !current.containsValue(old))
          .forEach(old -> control.keepRestoresReady(old, 0));
      current.values().stream().filter(now -> !previous.containsValue(now))
          .forEach(now -> control.keepRestoresReady(now, prestartedPerSnapshot));
    }
  }

  /** The snapshot failed for good: the SnapshotManager discards it, and no start restores it any more. */
  void broken(String key, SnapshotRecord snapshot, String reason) {
    control.snapshotBroken(snapshot, reason);
    Map<String, SnapshotRecord> remaining = new HashMap<>(byFunction);
    remaining.remove(key);
    byFunction = Map.copyOf(remaining);
  }
}
