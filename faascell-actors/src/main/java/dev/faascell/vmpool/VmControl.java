package dev.faascell.vmpool;

import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.worker.SnapshotOrder;
import java.util.Optional;

/**
 * What the pool's decisions ({@link PoolCore}) do to VMs and snapshots. The VmPool actor does it with
 * Workers and the SnapshotManager; the simulator with events on its virtual clock. Each call only
 * starts the work: what comes of it returns to the pool as {@link PoolCore#started}, {@link PoolCore#idle},
 * {@link PoolCore#gone}.
 */
public interface VmControl {
  /**
   * A VM got a start slot: restore it from {@code snapshot}, or boot it (and snapshot it after INIT
   * when {@code snapshotOrder} says so), then run {@code job} if it starts for one.
   */
  record Start(String vmId, FunctionSpec function, SnapshotRecord snapshot, Optional<SnapshotOrder> snapshotOrder,
               Optional<Job> job) {
    public boolean restores() {
      return snapshot != null;
    }
  }

  void start(Start start);

  /** Run {@code job} on the idle VM {@code vmId} (a warm start). */
  void run(String vmId, Job job);

  /** Stop {@code vmId}; it reports {@link PoolCore#gone} when it is. */
  void retire(String vmId, String reason);

  /** Keep {@code count} VMM processes, with {@code network}'s devices, ready to restore {@code snapshot} (0: let them go). */
  void keepRestoresReady(SnapshotRecord snapshot, NetworkPolicy network, int count);

  /** {@code snapshot} failed for good and is to be discarded. */
  void snapshotBroken(SnapshotRecord snapshot, String reason);
}
