package dev.faascell.vmpool;

import dev.faascell.blockingio.BlockingIo;
import dev.faascell.invocation.Job;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.sink.Sink;
import dev.faascell.snapshot.SnapshotIntegrity;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.worker.Worker;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * What becomes of a failed restore's invocation and snapshot. The invocation is placed again at once,
 * ahead of every waiting start, as another restore while retries are left: a restore that timed out
 * on a busy host would only cost more as a cold boot. Only a broken snapshot — missing, or failing
 * its integrity check — is discarded and its invocation boots cold. Once the retries are spent, the
 * snapshot's full check (RAM file included, off the pool's thread) decides: broken, it goes and the
 * invocation boots cold; sound, the host was too busy, and the invocation ends with 503 host-busy
 * while the snapshot stays.
 */
final class FailedRestores {
  private final ActorContext<VmPool.Command> ctx;
  private final ActorRef<Sink.Command> sink;
  private final int retries;
  private final PoolSnapshots snapshots;
  private final VmStarts starts;
  private final StartHistory history;
  private final PoolMetrics metrics;

  FailedRestores(ActorContext<VmPool.Command> ctx, ActorRef<Sink.Command> sink, int retries, PoolSnapshots snapshots,
                 VmStarts starts, StartHistory history, PoolMetrics metrics) {
    this.ctx = ctx;
    this.sink = sink;
    this.retries = retries;
    this.snapshots = snapshots;
    this.starts = starts;
    this.history = history;
    this.metrics = metrics;
  }

  /** {@code vm}'s restore failed; the pool has already taken back its slot, memory and vCPUs. */
  void failed(PoolVm vm, Worker.RestoreFailed failed) {
    SnapshotRecord snapshot = failed.snapshot();
    if (failed.snapshotBroken()) {
      broken(vm.function, snapshot, failed.job(), failed.reason());
    } else if (failed.job().isPresent() && (vm.restoreAttempt <= retries || !snapshots.current(vm.key, snapshot))) {
      placeAgain(vm.function, failed.job().get(), vm.restoreAttempt, "restore-failed", failed.reason());
    } else if (failed.job().isPresent()) {
      Job job = failed.job().get();
      ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> SnapshotIntegrity.problem(snapshot, true),
          BlockingIo.executor(ctx)), (problem, error) -> new VmPool.SnapshotChecked(vm.function, snapshot, job,
          failed.reason(), Optional.ofNullable(error != null ? error.getMessage() : problem)));
    }
  }

  /** The full check of a snapshot whose restores kept failing is done. */
  void checked(VmPool.SnapshotChecked checked, long now) {
    if (checked.problem().isPresent()) {
      broken(checked.function(), checked.snapshot(), Optional.of(checked.job()),
          "its full check failed: " + checked.problem().get());
    } else {
      metrics.hostBusy(checked.function().name(), checked.reason());
      sink.tell(new Sink.Deliver(checked.job(), InvocationResult.Failed.early(checked.job().invocation(),
          FailureKind.HOST_BUSY, "the host was too busy to start a VM in time (" + checked.reason() + "); retry later",
          now)));
    }
  }

  /** The snapshot goes; the invocation, if any, boots cold. */
  private void broken(FunctionSpec function, SnapshotRecord snapshot, Optional<Job> job, String reason) {
    String key = VmPool.keyOf(function);
    if (snapshots.current(key, snapshot)) {
      snapshots.broken(key, snapshot, reason);
    }
    job.ifPresent(j -> placeAgain(function, j, 0, "broken-snapshot", reason));
  }

  /** The invocation's next start, ahead of every waiting one: a restore of the current snapshot if any, else a boot. */
  private void placeAgain(FunctionSpec function, Job job, int failedAttempt, String reason, String detail) {
    SnapshotRecord next = snapshots.restorable(function);
    metrics.restoreReplaced(next != null, reason, function.name(), detail);
    starts.enqueue(function, next, Optional.empty(), failedAttempt + 1, job, history.estimateMb(function, next != null),
        true);
  }
}
