package dev.faascell.vmpool;

import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionSpec;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.worker.SnapshotOrder;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pool's record of one VM (owned and changed by one {@link PoolCore} alone). */
final class PoolVm {
  private static final Logger log = LoggerFactory.getLogger(VmPool.class);

  final String id;
  final FunctionSpec function;
  final String key;
  final long createdAt;
  /** The snapshot it is restored from, or null for a cold boot. */
  final SnapshotRecord snapshot;
  /** For a cold boot: take a snapshot after INIT. */
  final Optional<SnapshotOrder> snapshotOrder;
  /** Which restore attempt of its invocation this is (1 = the first). */
  final int restoreAttempt;
  private final VmControl control;
  /** Until its Worker exists: the invocation it starts for, if any. */
  Job firstJob;
  VmState state = VmState.WAITING_TO_START;
  long idleSince;
  long busySince;
  long invocations;
  long readyCostNanos;
  boolean retireWhenIdle;
  /** VMs with an invocation, or starting for one, hold their vCPUs; idle ones only their memory. */
  boolean holdsVcpus;

  PoolVm(String id, FunctionSpec function, String key, long createdAt, SnapshotRecord snapshot,
         Optional<SnapshotOrder> snapshotOrder, int restoreAttempt, Job firstJob, VmControl control) {
    this.id = id;
    this.function = function;
    this.key = key;
    this.createdAt = createdAt;
    this.snapshot = snapshot;
    this.snapshotOrder = snapshotOrder;
    this.restoreAttempt = restoreAttempt;
    this.firstJob = firstJob;
    this.control = control;
    this.invocations = firstJob == null ? 0 : 1;
  }

  boolean restores() {
    return snapshot != null;
  }

  /** Runs {@code job} on this idle VM. */
  void run(Job job) {
    control.run(id, job);
  }

  /** Stops the VM, saying why. */
  void retire(String reason) {
    state = VmState.STOPPING;
    log.info("event=vm-retire vm={} function={} reason=\"{}\"", id, function.name(), reason);
    control.retire(id, reason);
  }

  /** Started to take a snapshot and not yet done: a snapshot in the making. */
  boolean takingSnapshot() {
    return snapshotOrder.isPresent() && (state == VmState.WAITING_TO_START || state.starting());
  }
}
