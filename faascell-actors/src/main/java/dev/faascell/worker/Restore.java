package dev.faascell.worker;

import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.StartKind;
import dev.faascell.snapshot.SnapshotIntegrity;
import dev.faascell.snapshot.SnapshotManager;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.VmmException;
import dev.faascell.worker.Worker.Command;
import java.security.SecureRandom;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restore (the verb of Firecracker's {@code persist.rs}): checks the snapshot's files against their
 * record (a slower tier's RAM file in full), has the VMM load it into a new VM (a QEMU kept ready with
 * the device state already loaded only needs to run), and connects to the agent, which resumes with the
 * function already loaded ({@link #load}, on the I/O executor).
 *
 * <p>The restored guest must then be brought up to date before its function runs: its wall clock
 * stopped when the snapshot was taken, and every clone of one snapshot would continue the same random
 * streams. By default ({@code faascell.snapshots.resume = with-first-run}) the clock and fresh entropy
 * travel inside the first RUN ({@link #resumeFor}), so a restore costs one exchange with the guest; with
 * {@code separate-exchanges} they go as SET_CLOCK then RESEED in the Worker's {@link #resuming} state first.
 */
final class Restore {
  private static final Logger log = LoggerFactory.getLogger(Restore.class);
  private static final SecureRandom ENTROPY = new SecureRandom();

  private Restore() {
  }

  /** Loads the snapshot into a new VM and connects to its agent. Blocks: runs on the I/O executor. */
  static LiveVm load(String vmId, FunctionSpec function, SnapshotRecord snapshot, WorkerContext context,
                     GuestSession.Listener listener) {
    // the fastest tier's RAM files are re-hashed in the background; a slower tier's before each restore
    String problem = SnapshotIntegrity.problem(snapshot, !context.onFastestTier(snapshot));
    if (problem != null) {
      throw new StartFailure("snapshot " + snapshot.id() + " is damaged: " + problem, true);
    }
    try {
      var vm = context.vmm().restore(new VmRestore(vmId, context.image(), function.memoryMb(), function.vcpus(),
          snapshot.files(), function.network()));
      return LiveVm.connect(vm, Optional.empty(), context.restoreTimeout(), context, listener).awaitingResume();
    } catch (VmmException e) {
      throw new StartFailure(e.getMessage(), false);
    }
  }

  /**
   * The restored VM is up: its waiting job's RUN resumes it, or it serves now and its next RUN will, or
   * (separate-exchanges) SET_CLOCK and RESEED go first.
   */
  static Behavior<Command> vmUp(Worker w, Start start, LiveVm vm) {
    if (w.context.resume().withFirstRun()) {
      return start.first().isPresent() ? firstRun(w, start, vm) : restored(w, start, vm);
    }
    vm.session().request(new HostRequest.SetClock(wallClockNanos()));
    return resuming(w, start, vm.resumed());
  }

  /** What the first RUN of a restored guest carries: the host's clock and, unless reseeding is off, entropy. */
  static HostRequest.Resume resumeFor(WorkerContext context) {
    return new HostRequest.Resume(wallClockNanos(), context.resume().reseed() ? Optional.of(entropy())
        : Optional.empty());
  }

  private static long wallClockNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  private static byte[] entropy() {
    byte[] entropy = new byte[64];
    ENTROPY.nextBytes(entropy);
    return entropy;
  }

  /**
   * SET_CLOCK is out, then RESEED (without RESEED only with faascell.snapshots.reseed off, a diagnostic
   * setting under which clones share the snapshot's randomness).
   */
  private static Behavior<Command> resuming(Worker w, Start start, LiveVm vm) {
    Worker.Failure failure = w.startFailure(start, vm);
    return w.common(Behaviors.receive(Command.class)
        .onMessage(Worker.GuestReplied.class, msg -> {
          String request = msg.exchange().request().getClass().getSimpleName();
          if (msg.exchange().reply() instanceof GuestReply.Error error) {
            return failure.of(FailureKind.VM_FAILURE, "the restored guest could not apply " + request + ": "
                + error.message());
          }
          if (!(msg.exchange().reply() instanceof GuestReply.Ok)) {
            return w.violation(failure, "expected OK or ERROR to " + request + ", got "
                + GuestSession.kind(msg.exchange().reply()));
          }
          if (msg.exchange().request() instanceof HostRequest.SetClock && w.context.resume().reseed()) {
            vm.session().request(new HostRequest.Reseed(entropy()));
            return Behaviors.same();
          }
          return restored(w, start, vm);
        }), vm, failure, w.startDeadline(start));
  }

  /**
   * The waiting job's RUN resumes the guest (with-first-run). The start is over once the VM is loaded
   * (its slot is free: the guest catching up shares its RUN with the function, so it cannot hold a slot
   * without holding it for the function too); in the invocation's record, what the exchange took beyond
   * the function's own execution counts as the restore's, not the run's.
   *
   * <p>A guest that dies before it answers (its channel lost, its VMM gone, its protocol broken) failed
   * to restore: a damaged snapshot's guest dies as it resumes, before the function could run, so the
   * job goes back to the pool, which restores again or, with the snapshot found broken, boots; only a
   * timeout fails the job, for then the function may be running.
   */
  private static Behavior<Command> firstRun(Worker w, Start start, LiveVm vm) {
    long loadedAt = w.now();
    Start loaded = start.cost(start.cost().restored(loadedAt));
    w.pool.tell(new Worker.Started(w.vmId, StartKind.RESTORE, loaded.cost().restoreNanos(), true));
    Running running = start.first().orElseThrow().sent(loadedAt, loadedAt);
    vm.session().request(vm.runRequest(running.job().invocation(), w.context));
    w.startTimer(w.function.timeout());
    Worker.Failure failure = (kind, reason) -> kind == FailureKind.TIMEOUT
        ? w.fail(kind, reason, "", vm, loaded.cost(), Optional.of(running))
        : w.startFailure(start, vm).of(kind, "the restored guest died before answering its first invocation: "
            + reason);
    return w.common(Behaviors.receive(Command.class)
        .onMessage(Worker.GuestReplied.class, msg -> {
          succeeded(w, loaded);
          GuestSession.Exchange exchange = msg.exchange();
          long resumeNanos = Math.max(0, exchange.repliedAt() - exchange.sentAt() - execNanos(exchange.reply()));
          var run = new GuestSession.Exchange(exchange.request(), exchange.reply(), exchange.sentAt() + resumeNanos,
              exchange.repliedAt(), exchange.usage());
          return w.ran(vm.resumed(), start.cost().restored(loadedAt + resumeNanos), running,
              new Worker.GuestReplied(run), failure);
        }), vm, failure, Deadline.functionTimeout(w.function));
  }

  private static long execNanos(GuestReply reply) {
    return reply instanceof GuestReply.Result result ? result.execNanos()
        : reply instanceof GuestReply.Error error ? error.execNanos() : 0;
  }

  /** The restore is done: the SnapshotManager hears the snapshot served, the pool that the start ended. */
  private static Behavior<Command> restored(Worker w, Start start, LiveVm vm) {
    w.stopTimer();
    Start restored = start.cost(start.cost().restored(w.now()));
    succeeded(w, restored);
    return w.started(restored, vm);
  }

  private static void succeeded(Worker w, Start restored) {
    SnapshotRecord snapshot = restored.cost().restoredFrom();
    w.context.snapshots().tell(new SnapshotManager.RestoreSucceeded(snapshot.id()));
    log.debug("event=vm-restored vm={} function={} snapshot={} restore_ms={}", w.vmId, w.function.name(),
        snapshot.id(), restored.cost().restoreNanos() / 1e6);
  }
}
