package dev.faascell.vmpool;

import dev.faascell.model.FunctionSpec;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.policy.selection.VmSelectionPolicy;
import dev.faascell.snapshot.SnapshotRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The snapshot that serves each function version, as the SnapshotManager last published it: which a
 * start restores, the QEMU processes kept ready for each (so that a restore skips QEMU's start-up and
 * the device state's load), counted in the node's memory as what they cost, and the pool's verdict on
 * one that keeps failing.
 */
final class PoolSnapshots {
  private final VmControl control;
  private final LongSupplier nanoClock;
  private final VmSelectionPolicy selection;
  private final int prestartedPerSnapshot;
  private final int prestartMemoryMb;
  private final MemoryAccount memory;
  private Map<String, SnapshotRecord> byFunction = Map.of();
  /**
   * Each function version's network, from the invocations the pool saw: a QEMU kept ready must have the
   * snapshot's network devices, and a snapshot record names only its function version.
   */
  private final Map<String, NetworkPolicy> networks = new HashMap<>();
  /** Snapshots that get QEMUs kept ready once the pool sees their function (after a restart, say). */
  private final Set<String> readyWhenSeen = new HashSet<>();

  PoolSnapshots(VmControl control, LongSupplier nanoClock, VmSelectionPolicy selection, int prestartedPerSnapshot,
                int prestartMemoryMb, MemoryAccount memory) {
    this.control = control;
    this.nanoClock = nanoClock;
    this.selection = selection;
    this.prestartedPerSnapshot = prestartedPerSnapshot;
    this.prestartMemoryMb = prestartMemoryMb;
    this.memory = memory;
  }

  /**
   * The function's snapshot, if it has one and the selection policy restores it; else null. Every start
   * asks, so this is also where the pool learns the function's network.
   */
  SnapshotRecord restorable(FunctionSpec function) {
    String key = VmPool.keyOf(function);
    networks.putIfAbsent(key, function.network());
    if (readyWhenSeen.remove(key) && byFunction.containsKey(key)) {
      keepReady(key, byFunction.get(key));
    }
    SnapshotRecord snapshot = byFunction.get(key);
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
      previous.entrySet().stream().filter(old -> !current.containsValue(old.getValue()))
          .forEach(old -> letGo(old.getKey(), old.getValue()));
      current.entrySet().stream().filter(now -> !previous.containsValue(now.getValue()))
          .forEach(now -> keepReady(now.getKey(), now.getValue()));
    }
  }

  private void keepReady(String key, SnapshotRecord snapshot) {
    NetworkPolicy network = networks.get(key);
    if (network == null) {
      readyWhenSeen.add(key);
      return;
    }
    tellVmm(snapshot, network, prestartedPerSnapshot);
    memory.add(prestartedKey(snapshot), (long) prestartedPerSnapshot * prestartMemoryMb,
        nanoClock.getAsLong());
  }

  private void letGo(String key, SnapshotRecord snapshot) {
    readyWhenSeen.remove(key);
    if (memory.accountedMb(prestartedKey(snapshot)) > 0) {
      tellVmm(snapshot, networks.getOrDefault(key, NetworkPolicy.NONE), 0);
      memory.remove(prestartedKey(snapshot));
    }
  }

  /** The memory account's entry for a snapshot's ready QEMUs (VM ids never contain a colon). */
  static String prestartedKey(SnapshotRecord snapshot) {
    return "prestarted:" + snapshot.id();
  }

  private void tellVmm(SnapshotRecord snapshot, NetworkPolicy network, int count) {
    control.keepRestoresReady(snapshot, network, count);
  }

  /** The snapshot failed for good: the SnapshotManager discards it, and no start restores it any more. */
  void broken(String key, SnapshotRecord snapshot, String reason) {
    control.snapshotBroken(snapshot, reason);
    Map<String, SnapshotRecord> remaining = new HashMap<>(byFunction);
    remaining.remove(key);
    byFunction = Map.copyOf(remaining);
    letGo(key, snapshot);
  }
}
