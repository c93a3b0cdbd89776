package dev.faascell.vmpool;

import dev.faascell.invocation.Job;
import dev.faascell.model.FunctionSpec;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.worker.SnapshotOrder;
import dev.faascell.worker.Worker;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pool's record of one VM (owned and changed by the VmPool actor alone). */
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
  /** Until its Worker exists: the invocation it starts for, if any. */
  Job firstJob;
  ActorRef<Worker.Command> worker;
  VmState state = VmState.WAITING_TO_START;
  long idleSince;
  long busySince;
  long invocations;
  long readyCostNanos;
  boolean retireWhenIdle;
  /** VMs with an invocation, or starting for one, hold their vCPUs; idle ones only their memory. */
  boolean holdsVcpus;

  PoolVm(String id, FunctionSpec function, String key, long createdAt, SnapshotRecord snapshot,
         Optional<SnapshotOrder> snapshotOrder, int restoreAttempt, Job firstJob) {
    this.id = id;
    this.function = function;
    this.key = key;
    this.createdAt = createdAt;
    this.snapshot = snapshot;
    this.snapshotOrder = snapshotOrder;
    this.restoreAttempt = restoreAttempt;
    this.firstJob = firstJob;
    this.invocations = firstJob == null ? 0 : 1;
  }

  boolean restores() {
    return snapshot != null;
  }

  /** Stops the VM, saying why. */
  void retire(String reason) {
    state = VmState.STOPPING;
    log.info("event=vm-retire vm={} function={} reason=\"{}\"", id, function.name(), reason);
    worker.tell(new Worker.Retire(reason));
  }

  /** Started to take a snapshot and not yet done: a snapshot in the making. */
  boolean takingSnapshot() {
    return snapshotOrder.isPresent() && (state == VmState.WAITING_TO_START || state.starting());
  }
}
