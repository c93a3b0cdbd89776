package dev.faascell.worker;

import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
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
 * record (a slower tier's RAM file in full), has the VMM load it into a new VM, and connects to the agent, which resumes with the function
 * already loaded ({@link #load}, on the I/O executor). Then, in the Worker's {@link #resuming} state,
 * the guest is brought up to date before it serves: SET_CLOCK (its clock stopped when the snapshot was
 * taken), then RESEED (fresh entropy, so no two clones of one snapshot share their RNG state).
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
      return LiveVm.connect(vm, Optional.empty(), context.restoreTimeout(), context, listener);
    } catch (VmmException e) {
      throw new StartFailure(e.getMessage(), false);
    }
  }

  /** The first request to a restored guest. */
  static HostRequest setClock() {
    return new HostRequest.SetClock(System.currentTimeMillis() * 1_000_000L);
  }

  /**
   * SET_CLOCK is out, then RESEED: the restored guest is brought up to date. (Without RESEED only with
   * faascell.snapshots.reseed off, a diagnostic setting under which clones share the snapshot's randomness.)
   */
  static Behavior<Command> resuming(Worker w, Start start, LiveVm vm) {
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
          if (msg.exchange().request() instanceof HostRequest.SetClock && w.context.reseedClones()) {
            byte[] entropy = new byte[64];
            ENTROPY.nextBytes(entropy);
            vm.session().request(new HostRequest.Reseed(entropy));
            return Behaviors.same();
          }
          w.stopTimer();
          Start restored = start.cost(start.cost().restored(w.now()));
          SnapshotRecord snapshot = restored.cost().restoredFrom();
          w.context.snapshots().tell(new SnapshotManager.RestoreSucceeded(snapshot.id()));
          log.debug("event=vm-restored vm={} function={} snapshot={} restore_ms={}", w.vmId, w.function.name(),
              snapshot.id(), restored.cost().restoreNanos() / 1e6);
          return w.started(restored, vm);
        }), vm, failure, w.startDeadline(start));
  }
}
