package dev.faascell.worker;

import dev.faascell.model.FailureKind;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.util.Failures;
import dev.faascell.util.FileTrees;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.SnapshotFormat;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmmException;
import dev.faascell.worker.Worker.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The post-INIT snapshot, the Worker's {@link #snapshotting} state: taken when the function has loaded
 * and before any invocation ran in the VM, so no caller's data can ever be in a snapshot. It is written
 * ({@link #of}, on the I/O executor) to a staging directory of its own, which the SnapshotManager then
 * adopts into a tier; the VM goes on to serve. A failed snapshot costs the node a faster restore later,
 * never the invocation that waits for this VM.
 */
final class TakeSnapshot {
  private static final SecureRandom NAMES = new SecureRandom();

  private TakeSnapshot() {
  }

  static Behavior<Command> snapshotting(Worker w, Start start, LiveVm vm, SnapshotOrder order) {
    w.pool.tell(new Worker.Snapshotting(w.vmId));
    long startedAt = w.now();
    w.startTimer(w.context.settings().initTimeout());
    w.ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> of(vm.instance(), w.context.stagingDir(), order.format()),
        w.context.io()), (files, error) -> error == null ? new Worker.Snapshotted(files, order)
        : new Worker.SnapshotNotTaken(Failures.rootMessage(error), order));
    return w.common(Behaviors.receive(Command.class)
        .onMessage(Worker.Snapshotted.class, taken -> {
          w.stopTimer();
          handOver(w, taken);
          return w.started(start.cost(start.cost().snapshotted(w.now() - startedAt)), vm);
        })
        .onMessage(Worker.SnapshotNotTaken.class, notTaken -> {
          w.stopTimer();
          handOver(w, notTaken);
          return vm.instance().isAlive() ? w.started(start, vm)
              : w.fail(FailureKind.VM_FAILURE, "the VM died while snapshotted", "", vm, start.cost(), start.first());
        }), vm, w.startFailure(start, vm), new Deadline(FailureKind.VM_FAILURE,
        "the snapshot did not finish within " + w.context.settings().initTimeout().toMillis()
            + " ms; its VM was killed"));
  }

  /** The SnapshotManager adopts the snapshot's files (even if the VM has failed since); the requester hears. */
  static void handOver(Worker w, Worker.Snapshotted taken) {
    w.context.snapshots().tell(new SnapshotManager.Adopt(w.function, taken.files(), taken.order().requester()));
  }

  static void handOver(Worker w, Worker.SnapshotNotTaken notTaken) {
    w.context.snapshots().tell(new SnapshotManager.SnapshotFailed(w.function, notTaken.reason(),
        notTaken.order().requester()));
  }

  /** Pauses the VM, writes its snapshot, resumes it. Blocks: runs on the I/O executor. */
  private static SnapshotFiles of(VmInstance vm, Path stagingDir, SnapshotFormat format) {
    Path dir = stagingDir.resolve(vm.id() + "-" + Long.toHexString(NAMES.nextLong()));
    try {
      Files.createDirectories(dir);
      return vm.snapshot(dir, format);
    } catch (VmmException | IOException e) {
      deleteQuietly(dir);
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException ignored) {
      // a leftover staging directory is removed at the next start
    }
  }
}
