package dev.faascell.worker;

import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.model.FunctionSpec;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Cold boot (the verb of Firecracker's {@code builder.rs}): a fresh VM from the guest image, connected
 * to its agent; then HELLO, answered by READY once the guest has booted, and INIT, which loads the
 * function. A VM that is to be snapshotted keeps its RAM in a file, which the snapshot shares.
 */
final class ColdBoot {
  private ColdBoot() {
  }

  /**
   * Launches the VM and connects to its agent. Blocks: runs on the I/O executor.
   *
   * @param ramInFile back the guest's RAM with a file (to snapshot it) if the RAM directory has room
   * @return the VM; its {@code ramFile} is empty when it was not to be, or could not be, file-backed
   */
  static LiveVm launch(String vmId, FunctionSpec function, WorkerContext context, boolean ramInFile,
                       GuestSession.Listener listener) {
    try {
      Files.createDirectories(context.ramDir());
      Optional<Path> ramFile = ramInFile && roomForRamFile(function, context.ramDir())
          ? Optional.of(context.ramDir().resolve(vmId + ".ram")) : Optional.empty();
      MemoryBacking memory = ramFile.<MemoryBacking>map(MemoryBacking.SharedFile::new)
          .orElseGet(MemoryBacking.Anonymous::new);
      VmInstance vm = context.vmm().launch(new VmLaunch(vmId, context.image(), function.memoryMb(), function.vcpus(),
          memory));
      return LiveVm.connect(vm, ramFile, context.settings().bootTimeout(), context, listener);
    } catch (VmmException | IOException e) {
      throw new StartFailure(e.getMessage(), false);
    }
  }

  /**
   * A guest whose RAM file outgrows a full tmpfs dies of SIGBUS: only back RAM with a file (to snapshot
   * it) when the file system has room for all of it, and for the snapshot's copy.
   */
  private static boolean roomForRamFile(FunctionSpec function, Path ramDir) throws IOException {
    long needed = 2L * function.memoryMb() << 20;
    return Files.getFileStore(ramDir).getUsableSpace() >= needed;
  }

  static HostRequest hello() {
    return new HostRequest.Hello();
  }

  /** Why the guest's answer to HELLO is not a booted agent this host can talk to; empty if it is. */
  static Optional<String> notReady(GuestReply reply) {
    if (!(reply instanceof GuestReply.Ready ready)) {
      return Optional.of("expected READY, got " + GuestSession.kind(reply));
    }
    return ready.protocolVersion() == 1 ? Optional.empty()
        : Optional.of("guest speaks protocol " + ready.protocolVersion());
  }

  /** Loads the function: its runtime, handler, code and environment. */
  static HostRequest init(FunctionSpec function) {
    var code = function.code();
    return new HostRequest.Init(function.runtime().wireName(), function.handler(),
        code.format().name().toLowerCase(Locale.ROOT), code.fileName(), code.bytes(), function.env(),
        function.name().value(), function.memoryMb(), function.timeout().toMillis());
  }
}
