package dev.faascell.vmpool;

import dev.faascell.model.FunctionSpec;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.VmRestore;
import dev.faascell.worker.WorkerContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The snapshot that serves each function version, as the SnapshotManager last published it: which a
 * start restores, the QEMU processes kept ready for each (so that a restore skips QEMU's start-up and
 * the device state's load), counted in the node's memory as what they cost, and the pool's verdict on
 * one that keeps failing.
 */
final class PoolSnapshots {
  private final WorkerContext workers;
  private final VmSelectionPolicy selection;
  private final int prestartedPerSnapshot;
  private final int prestartMemoryMb;
  private final MemoryAccount memory;
  private Map<String, SnapshotRecord> byFunction = Map.of();

  PoolSnapshots(WorkerContext workers, VmSelectionPolicy selection, int prestartedPerSnapshot, int prestartMemoryMb,
                MemoryAccount memory) {
    this.workers = workers;
    this.selection = selection;
    this.prestartedPerSnapshot = prestartedPerSnapshot;
    this.prestartMemoryMb = prestartMemoryMb;
    this.memory = memory;
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
  void published(Map<String, SnapshotRecord> current, long nowNanos) {
    Map<String, SnapshotRecord> previous = byFunction;
    byFunction = current;
    if (prestartedPerSnapshot > 0) {
      previous.values().stream().filter(old -> !current.containsValue(old)).forEach(old -> {
        keepReady(old, 0);
        memory.remove(prestartedKey(old));
      });
      current.values().stream().filter(now -> !previous.containsValue(now)).forEach(now -> {
        keepReady(now, prestartedPerSnapshot);
        memory.add(prestartedKey(now), (long) prestartedPerSnapshot * prestartMemoryMb, nowNanos);
      });
    }
  }

  /** The memory account's entry for a snapshot's ready QEMUs (VM ids never contain a colon). */
  static String prestartedKey(SnapshotRecord snapshot) {
    return "prestarted:" + snapshot.id();
  }

  private void keepReady(SnapshotRecord snapshot, int count) {
    VmRestore template = new VmRestore("prestart", workers.image(), snapshot.memoryMb(), snapshot.vcpus(),
        snapshot.files());
    workers.io().execute(() -> workers.vmm().keepRestoresReady(template, count));
  }

  /** The snapshot failed for good: the SnapshotManager discards it, and no start restores it any more. */
  void broken(String key, SnapshotRecord snapshot, String reason) {
    workers.snapshots().tell(new SnapshotManager.RestoreFailed(snapshot.id(), snapshot.directory(), reason));
    Map<String, SnapshotRecord> remaining = new HashMap<>(byFunction);
    remaining.remove(key);
    byFunction = Map.copyOf(remaining);
    if (prestartedPerSnapshot > 0) {
      keepReady(snapshot, 0);
      memory.remove(prestartedKey(snapshot));
    }
  }
}
