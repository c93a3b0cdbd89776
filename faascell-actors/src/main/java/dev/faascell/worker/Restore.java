package dev.faascell.worker;

import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.model.FunctionSpec;
import dev.faascell.snapshot.SnapshotIntegrity;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.VmmException;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Restore (the verb of Firecracker's {@code persist.rs}): checks the snapshot's files against their
 * record, has the VMM load it into a new VM, and connects to the agent, which resumes with the function
 * already loaded. Then the guest is brought up to date before it serves: SET_CLOCK (its clock stopped
 * when the snapshot was taken), then RESEED (fresh entropy, so no two clones of one snapshot share
 * their RNG state).
 */
final class Restore {
  private static final SecureRandom ENTROPY = new SecureRandom();

  private Restore() {
  }

  /** Loads the snapshot into a new VM and connects to its agent. Blocks: runs on the I/O executor. */
  static LiveVm load(String vmId, FunctionSpec function, SnapshotRecord snapshot, WorkerContext context,
                     GuestSession.Listener listener) {
    String problem = SnapshotIntegrity.problem(snapshot, false);
    if (problem != null) {
      throw new StartFailure("snapshot " + snapshot.id() + " is damaged: " + problem, true);
    }
    try {
      var vm = context.vmm().restore(new VmRestore(vmId, context.image(), function.memoryMb(), function.vcpus(),
          snapshot.files()));
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
   * What to send after the guest's OK to {@code answered}: empty once the guest is up to date.
   *
   * @throws IllegalArgumentException if the guest did not answer OK (the restore failed)
   */
  static Optional<HostRequest> after(HostRequest answered, GuestReply reply) {
    if (!(reply instanceof GuestReply.Ok)) {
      throw new IllegalArgumentException("the restored guest answered " + GuestSession.kind(reply) + " to "
          + answered.getClass().getSimpleName());
    }
    if (answered instanceof HostRequest.SetClock) {
      byte[] entropy = new byte[64];
      ENTROPY.nextBytes(entropy);
      return Optional.of(new HostRequest.Reseed(entropy));
    }
    return Optional.empty();
  }
}
